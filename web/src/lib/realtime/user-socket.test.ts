import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket } from '@/testing/fake-websocket';
import type { ServerFrame } from './frames';
import { UserSocket, type ResyncInfo, type UserSocketOptions } from './user-socket';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function makeSocket(overrides: Partial<UserSocketOptions> = {}) {
  let token = 'tok1';
  const socket = new UserSocket({
    url: (t) => `ws://test/ws/?token=${t}`,
    getToken: async () => token,
    refreshToken: async () => {
      token = 'tok2';
      return token;
    },
    createSocket: (url) => new FakeWebSocket(url),
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 },
    random: () => 0.5,
    activityThrottleMs: 30_000,
    ...overrides,
  });
  const frames: ServerFrame[] = [];
  const resyncs: ResyncInfo[] = [];
  socket.addListener({ onFrame: (f) => frames.push(f), onResync: (r) => resyncs.push(r) });
  return { socket, frames, resyncs };
}

/** A server side that numbers its frames the way the real one does (1, 2, 3 ... per connection). */
function server(ws: FakeWebSocket) {
  let seq = 0;
  return {
    hello(heartbeat = 30) {
      ws.serverSend({ type: 'hello', seq: ++seq, user_id: 1, session_id: 9, server_time: '2026-11-30T12:00:00Z', heartbeat_seconds: heartbeat });
    },
    send(frame: object, skip = 0) {
      seq += skip;
      ws.serverSend({ ...frame, seq: ++seq });
    },
  };
}

async function open(socket: UserSocket, heartbeat = 30) {
  socket.connect();
  await flush();
  const ws = FakeWebSocket.last();
  ws.serverOpen();
  const srv = server(ws);
  srv.hello(heartbeat);
  await flush();
  return { ws, srv };
}

const subscribeFrames = (ws: FakeWebSocket) => ws.sentFrames().filter((f) => f.type === 'subscribe' || f.type === 'unsubscribe');

describe('UserSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects to /ws/, takes the hello and pings every heartbeat_seconds', async () => {
    const { socket } = makeSocket();
    const { ws } = await open(socket, 5);
    expect(ws.url).toBe('ws://test/ws/?token=tok1');
    expect(socket.hello?.session_id).toBe(9);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(ws.sentFrames()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ws.sentFrames()).toEqual([{ type: 'ping' }]);
    ws.serverSend({ type: 'pong', seq: 2 });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ws.sentFrames()).toEqual([{ type: 'ping' }, { type: 'ping' }]);
  });

  it('hands frames on in order and drops repeats', async () => {
    const { socket, frames, resyncs } = makeSocket();
    const { ws, srv } = await open(socket);
    srv.send({ type: 'message_new', room_id: 3, message: { id: 11, room: 3 } });
    ws.serverSend({ type: 'message_new', room_id: 3, message: { id: 11, room: 3 }, seq: 2 });
    srv.send({ type: 'presence_changed', user_id: 4, status: 'away' });
    expect(frames.map((f) => f.type)).toEqual(['hello', 'message_new', 'presence_changed']);
    expect(resyncs).toEqual([]);
  });

  it('asks for a resync of every room and topic on screen when a seq is skipped', async () => {
    const { socket, frames, resyncs } = makeSocket();
    const { srv } = await open(socket);
    socket.watchRoom(3, 10);
    socket.subscribe('project:5');
    srv.send({ type: 'message_new', room_id: 3, message: { id: 12, room: 3 } });
    expect(resyncs).toEqual([]);
    // Frames 3 and 4 never arrive.
    srv.send({ type: 'message_new', room_id: 3, message: { id: 15, room: 3 } }, 2);
    expect(frames.at(-1)).toMatchObject({ type: 'message_new', message: { id: 15 } });
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0].reason).toBe('gap');
    expect(resyncs[0].topics).toEqual(['project:5']);
    expect([...resyncs[0].rooms]).toEqual([[3, 15]]);
  });

  it('counts frames of types it does not know, so they are no gap', async () => {
    const { socket, resyncs } = makeSocket();
    const { srv } = await open(socket);
    srv.send({ type: 'call_ringing', room_id: 3 });
    srv.send({ type: 'pong' });
    expect(resyncs).toEqual([]);
  });

  it('subscribes once per topic however many components ask, and unsubscribes when the last lets go', async () => {
    const { socket } = makeSocket();
    const { ws } = await open(socket);
    const a = socket.subscribe('ticket:42');
    const b = socket.subscribe('ticket:42');
    const c = socket.subscribe('project:5');
    await flush();
    // One topic per frame: the server refuses a whole frame for one topic the person may not see.
    expect(subscribeFrames(ws)).toEqual([
      { type: 'subscribe', topics: ['ticket:42'] },
      { type: 'subscribe', topics: ['project:5'] },
    ]);
    a();
    a(); // releasing twice counts once
    await flush();
    expect(subscribeFrames(ws)).toHaveLength(2);
    b();
    c();
    await flush();
    expect(subscribeFrames(ws).at(-1)).toEqual({ type: 'unsubscribe', topics: ['ticket:42', 'project:5'] });
    expect(socket.topics).toEqual([]);
  });

  it('sends nothing for a topic taken and let go in the same moment (a page change)', async () => {
    const { socket } = makeSocket();
    const { ws } = await open(socket);
    const release = socket.subscribe('project:1');
    release();
    await flush();
    expect(subscribeFrames(ws)).toEqual([]);
  });

  it('subscribes to topics asked for before the connection was up once the hello arrives', async () => {
    const { socket } = makeSocket();
    socket.subscribe('project:5');
    await flush();
    socket.connect();
    await flush();
    const ws = FakeWebSocket.last();
    ws.serverOpen();
    await flush();
    expect(subscribeFrames(ws)).toEqual([]);
    server(ws).hello();
    expect(subscribeFrames(ws)).toEqual([{ type: 'subscribe', topics: ['project:5'] }]);
  });

  it('after a reconnect subscribes again, then asks to catch up every room from its last message', async () => {
    const { socket, resyncs } = makeSocket();
    const { ws, srv } = await open(socket);
    socket.subscribe('project:5');
    socket.subscribe('ticket:42');
    const releaseRoom = socket.watchRoom(3, 10);
    socket.watchRoom(4);
    socket.watchRoom(7, 70);
    releaseRoom();
    socket.watchRoom(3); // still on screen: one of two watchers left
    await flush();
    srv.send({ type: 'message_new', room_id: 7, message: { id: 71, room: 7 } });
    srv.send({ type: 'message_new', room_id: 9, message: { id: 90, room: 9 } }); // not on screen

    ws.serverClose(1006);
    expect(socket.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    const ws2 = FakeWebSocket.last();
    expect(ws2).not.toBe(ws);
    ws2.serverOpen();
    await flush();
    expect(resyncs).toEqual([]); // not before the hello

    let subscribedFirst = false;
    socket.addListener({ onResync: () => (subscribedFirst = subscribeFrames(ws2).length === 2) });
    server(ws2).hello();
    expect(subscribeFrames(ws2)).toEqual([
      { type: 'subscribe', topics: ['project:5'] },
      { type: 'subscribe', topics: ['ticket:42'] },
    ]);
    expect(subscribedFirst).toBe(true);
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0].reason).toBe('reconnect');
    expect(Object.fromEntries(resyncs[0].rooms)).toEqual({ 3: null, 4: null, 7: 71 });
    expect(resyncs[0].topics).toEqual(['project:5', 'ticket:42']);
  });

  it('the first connection is no reconnect and needs no catch-up', async () => {
    const { socket, resyncs } = makeSocket();
    socket.watchRoom(3, 10);
    await open(socket);
    expect(resyncs).toEqual([]);
  });

  it('a new connection numbers its frames afresh', async () => {
    const { socket, resyncs } = makeSocket();
    const { ws, srv } = await open(socket);
    srv.send({ type: 'pong' });
    srv.send({ type: 'pong' });
    ws.serverClose(1011);
    await vi.advanceTimersByTimeAsync(1000);
    const ws2 = FakeWebSocket.last();
    ws2.serverOpen();
    const srv2 = server(ws2);
    srv2.hello();
    srv2.send({ type: 'pong' });
    expect(resyncs.map((r) => r.reason)).toEqual(['reconnect']);
  });

  it('reconnects with exponential back-off while the server is away', async () => {
    const { socket } = makeSocket();
    const { ws } = await open(socket);
    ws.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(3);
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(3999);
    expect(FakeWebSocket.instances).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(4);
  });

  it('on 4401 refreshes the token once, and when that fails too gives up for good', async () => {
    const onFatalClose = vi.fn();
    const { socket } = makeSocket({ onFatalClose, refreshToken: async () => null });
    const { ws } = await open(socket);
    ws.serverClose(4401);
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(socket.state).toBe('closed');
    expect(onFatalClose).toHaveBeenCalledWith(4401);
  });

  it('on 4401 with a refresh that works, connects again with the new token', async () => {
    const onFatalClose = vi.fn();
    const { socket } = makeSocket({ onFatalClose });
    const { ws } = await open(socket);
    ws.serverClose(4401);
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.last().url).toContain('token=tok2');
    // Refused again before a single frame: the session is over.
    FakeWebSocket.last().serverOpen();
    FakeWebSocket.last().serverClose(4401);
    await flush();
    expect(onFatalClose).toHaveBeenCalledWith(4401);
  });

  it('tells the server about activity at most once per throttle window', async () => {
    const { socket } = makeSocket();
    const { ws } = await open(socket);
    const activity = () => ws.sentFrames().filter((f) => f.type === 'activity').length;
    socket.noteActivity();
    socket.noteActivity();
    expect(activity()).toBe(1);
    await vi.advanceTimersByTimeAsync(29_000);
    socket.noteActivity();
    expect(activity()).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    socket.noteActivity();
    expect(activity()).toBe(2);
  });

  it('sends room frames only while connected', async () => {
    const { socket } = makeSocket();
    expect(socket.send({ type: 'typing', room_id: 3, is_typing: true })).toBe(false);
    const { ws } = await open(socket);
    expect(socket.send({ type: 'typing', room_id: 3, is_typing: true })).toBe(true);
    expect(ws.sentFrames().at(-1)).toEqual({ type: 'typing', room_id: 3, is_typing: true });
    socket.close();
    expect(socket.state).toBe('closed');
    expect(socket.send({ type: 'typing', room_id: 3, is_typing: false })).toBe(false);
  });
});
