import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReconnectingSocket, backoffDelay, type ConnectionState } from './socket-client';
import { FakeWebSocket } from '@/testing/fake-websocket';

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function makeClient(overrides: Partial<ConstructorParameters<typeof ReconnectingSocket>[0]> = {}) {
  const states: ConnectionState[] = [];
  const frames: unknown[] = [];
  const opens: boolean[] = [];
  let token = 'tok1';
  const client = new ReconnectingSocket({
    url: (t) => `ws://test/ws/?token=${t}`,
    getToken: async () => token,
    refreshToken: async () => {
      token = 'tok2';
      return token;
    },
    onMessage: (f) => frames.push(JSON.parse(f)),
    onStateChange: (s) => states.push(s),
    onOpen: ({ reconnect }) => opens.push(reconnect),
    createSocket: (url) => new FakeWebSocket(url),
    backoff: { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 },
    pingIntervalMs: 10_000,
    random: () => 0.5,
    ...overrides,
  });
  return { client, states, frames, opens };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const o = { initialMs: 500, maxMs: 4000, factor: 2, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, o))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
  });

  it('spreads the delay by the jitter fraction', () => {
    const o = { initialMs: 1000, maxMs: 30000, factor: 2, jitter: 0.5 };
    expect(backoffDelay(0, o, () => 0)).toBe(500);
    expect(backoffDelay(0, o, () => 0.999999)).toBe(1500);
    expect(backoffDelay(0, o, () => 0.5)).toBe(1000);
  });
});

describe('ReconnectingSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWebSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects with the token in the URL and reports open', async () => {
    const { client, states } = makeClient();
    client.connect();
    await flush();
    const ws = FakeWebSocket.last();
    expect(ws.url).toBe('ws://test/ws/?token=tok1');
    ws.serverOpen();
    expect(client.state).toBe('open');
    expect(states).toEqual(['connecting', 'open']);
  });

  it('hands every text frame on', async () => {
    const { client, frames } = makeClient();
    client.connect();
    await flush();
    const ws = FakeWebSocket.last();
    ws.serverOpen();
    ws.serverSend({ type: 'message_new', message: { id: 42, room: 7 }, client_id: 'c1' });
    expect(frames).toEqual([{ type: 'message_new', message: { id: 42, room: 7 }, client_id: 'c1' }]);
    expect(client.isOpen).toBe(true);
  });

  it('reconnects with exponential back-off and says which opens are reconnects', async () => {
    const { client, states, opens } = makeClient();
    client.connect();
    await flush();
    FakeWebSocket.last().serverOpen();
    expect(opens).toEqual([false]);

    FakeWebSocket.last().serverClose(1006);
    expect(client.state).toBe('reconnecting');
    expect(FakeWebSocket.instances).toHaveLength(1);

    // attempt 0 waits 1000 ms
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeWebSocket.instances).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(2);

    // fails again before opening: attempt 1 waits 2000 ms
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeWebSocket.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    // and again: 4000 ms
    FakeWebSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(4000);
    expect(FakeWebSocket.instances).toHaveLength(4);

    FakeWebSocket.last().serverOpen();
    await flush();
    expect(client.state).toBe('open');
    expect(opens).toEqual([false, true]);
    expect(states).toContain('reconnecting');

    // back-off resets after a successful open
    FakeWebSocket.last().serverClose(1011);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(5);
    FakeWebSocket.last().serverOpen();
    await flush();
    expect(opens).toEqual([false, true, true]);
  });

  it('caps the back-off delay', async () => {
    const { client } = makeClient();
    client.connect();
    await flush();
    for (let i = 0; i < 6; i++) {
      FakeWebSocket.last().serverClose(1006);
      await vi.advanceTimersByTimeAsync(8000);
    }
    expect(FakeWebSocket.instances).toHaveLength(7);
  });

  it('stops for good on 4403', async () => {
    const onFatalClose = vi.fn();
    const { client } = makeClient({ onFatalClose });
    client.connect();
    await flush();
    FakeWebSocket.last().serverClose(4403);
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(client.state).toBe('closed');
    expect(onFatalClose).toHaveBeenCalledWith(4403);
  });

  it('refreshes the token once on 4401 and retries, then gives up', async () => {
    const onFatalClose = vi.fn();
    const { client } = makeClient({ onFatalClose });
    client.connect();
    await flush();
    FakeWebSocket.last().serverClose(4401);
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.last().url).toContain('token=tok2');
    FakeWebSocket.last().serverClose(4401);
    await flush();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(client.state).toBe('closed');
    expect(onFatalClose).toHaveBeenCalledWith(4401);
  });

  it('pings periodically and reconnects when the server goes silent', async () => {
    const { client } = makeClient();
    client.connect();
    await flush();
    const ws = FakeWebSocket.last();
    ws.serverOpen();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ws.sentFrames()).toEqual([{ type: 'ping' }]);
    ws.serverSend({ type: 'pong' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(ws.sentFrames()).toHaveLength(2);
    // silence: no pong for > 2 intervals
    await vi.advanceTimersByTimeAsync(20_000);
    expect(ws.closedWith).not.toBeNull();
    expect(client.state).toBe('reconnecting');
  });

  it('close() stops reconnecting and send() reports false when not open', async () => {
    const { client } = makeClient();
    expect(client.send({ type: 'ping' })).toBe(false);
    client.connect();
    await flush();
    FakeWebSocket.last().serverOpen();
    expect(client.send({ type: 'typing', is_typing: true })).toBe(true);
    client.close();
    expect(client.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('waits and retries when no token is available yet', async () => {
    let token: string | null = null;
    const { client } = makeClient({ getToken: async () => token });
    client.connect();
    await flush();
    expect(FakeWebSocket.instances).toHaveLength(0);
    token = 'late';
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(client.state).toBe('reconnecting');
  });
});
