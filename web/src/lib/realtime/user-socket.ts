import { parseServerFrame, type CallClientFrame, type HelloFrame, type RoomClientFrame, type ServerFrame } from './frames';
import { ReconnectingSocket, userSocketUrl, type ConnectionState, type SocketClientOptions } from './socket-client';

/** What the app must fetch over REST because frames may have been missed. */
export interface ResyncInfo {
  /** 'reconnect': a new connection; 'gap': frames went missing on this one (a seq jumped). */
  reason: 'reconnect' | 'gap';
  /** Every room on screen, with the newest message id the app has of it (null: none yet). */
  rooms: Map<number, number | null>;
  /** Every topic on screen. */
  topics: string[];
}

export interface UserSocketListener {
  onFrame?: (frame: ServerFrame) => void;
  onResync?: (info: ResyncInfo) => void;
  onState?: (state: ConnectionState) => void;
}

export interface UserSocketOptions extends Omit<SocketClientOptions, 'url' | 'onMessage' | 'onOpen' | 'onStateChange'> {
  url?: (token: string) => string;
  /** At most one `activity` frame this often (presence only needs one within 5 minutes). */
  activityThrottleMs?: number;
}

interface WatchedRoom {
  count: number;
  lastId: number | null;
}

/**
 * The app's one connection to the server (/ws/). It carries every room of the person, their own
 * frames and the topics the screen asks for. On top of the reconnecting socket it:
 * - checks `seq` and asks the app to resync when a number is skipped;
 * - counts topic subscriptions by the components on screen, sends only the difference, and
 *   subscribes again after a reconnect;
 * - remembers the newest message of each room on screen, so the app can fetch what it missed
 *   (`?after=`) once the new connection has its topics back.
 */
export class UserSocket {
  private readonly socket: ReconnectingSocket;
  private readonly listeners = new Set<UserSocketListener>();
  private readonly topicCounts = new Map<string, number>();
  /** Topics asked of the server on this connection. */
  private readonly serverTopics = new Set<string>();
  private readonly rooms = new Map<number, WatchedRoom>();
  private lastSeq = 0;
  private reconnecting = false;
  private _hello: HelloFrame | null = null;
  private flushQueued = false;
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private readonly activityThrottleMs: number;

  constructor(opts: UserSocketOptions) {
    this.activityThrottleMs = opts.activityThrottleMs ?? 60_000;
    this.socket = new ReconnectingSocket({
      ...opts,
      url: opts.url ?? ((token) => userSocketUrl(token)),
      onOpen: ({ reconnect }) => {
        this.lastSeq = 0;
        this._hello = null;
        this.reconnecting = reconnect;
      },
      onMessage: (data) => this.receive(data),
      onStateChange: (state) => {
        if (state !== 'open') {
          // A new connection starts with no subscriptions and its own numbering.
          this.serverTopics.clear();
          this._hello = null;
        }
        for (const l of this.listeners) l.onState?.(state);
      },
    });
  }

  get state(): ConnectionState {
    return this.socket.state;
  }

  /** The hello of the current connection (null until it arrives). */
  get hello(): HelloFrame | null {
    return this._hello;
  }

  /** Topics some component on screen wants. */
  get topics(): string[] {
    return [...this.topicCounts.keys()];
  }

  connect(): void {
    this.socket.connect();
  }

  close(): void {
    this.socket.close();
  }

  reconnectNow(): void {
    this.socket.reconnectNow();
  }

  addListener(listener: UserSocketListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends a room frame; false when not connected (the caller falls back to REST). */
  send(frame: RoomClientFrame | CallClientFrame | { type: 'auth'; token: string }): boolean {
    return this.socket.send(frame);
  }

  /** Asks for a topic for as long as the returned function is not called. */
  subscribe(topic: string): () => void {
    this.topicCounts.set(topic, (this.topicCounts.get(topic) ?? 0) + 1);
    this.queueFlush();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.topicCounts.get(topic) ?? 1) - 1;
      if (n > 0) this.topicCounts.set(topic, n);
      else this.topicCounts.delete(topic);
      this.queueFlush();
    };
  }

  /** A room is on screen: after a reconnect, what came after `lastId` is fetched for it. */
  watchRoom(roomId: number, lastId: number | null = null): () => void {
    const room = this.rooms.get(roomId) ?? { count: 0, lastId: null };
    room.count += 1;
    this.rooms.set(roomId, room);
    if (lastId !== null) this.noteMessageId(roomId, lastId);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      room.count -= 1;
      if (room.count <= 0) this.rooms.delete(roomId);
    };
  }

  /** The newest message the app has of a room (from REST or a catch-up). */
  noteMessageId(roomId: number, id: number): void {
    const room = this.rooms.get(roomId);
    if (room && id > 0 && (room.lastId === null || id > room.lastId)) room.lastId = id;
  }

  lastMessageId(roomId: number): number | null {
    return this.rooms.get(roomId)?.lastId ?? null;
  }

  /** The person did something: tell the server (throttled) so presence stays `online`. */
  noteActivity(): void {
    const now = Date.now();
    if (now - this.lastActivityAt < this.activityThrottleMs) return;
    if (this._hello && this.socket.send({ type: 'activity' })) this.lastActivityAt = now;
  }

  private receive(data: string): void {
    const { seq, frame } = parseServerFrame(data);
    let gap = false;
    if (seq !== null) {
      if (seq <= this.lastSeq) return; // a repeat: already handled
      gap = seq !== this.lastSeq + 1;
      this.lastSeq = seq;
    }
    if (frame) {
      if (frame.type === 'hello') {
        this.onHello(frame);
        return;
      }
      if (frame.type === 'message_new' && typeof frame.room_id === 'number') this.noteMessageId(frame.room_id, frame.message.id);
      for (const l of this.listeners) l.onFrame?.(frame);
    }
    if (gap) this.resync('gap');
  }

  private onHello(hello: HelloFrame): void {
    this._hello = hello;
    if (hello.heartbeat_seconds > 0) this.socket.setPingInterval(hello.heartbeat_seconds * 1000);
    for (const l of this.listeners) l.onFrame?.(hello);
    // Topics first, then the catch-up: whatever changes after the refetch arrives live.
    this.flush();
    if (this.reconnecting) {
      this.reconnecting = false;
      this.resync('reconnect');
    }
  }

  private resync(reason: ResyncInfo['reason']): void {
    const info: ResyncInfo = {
      reason,
      rooms: new Map([...this.rooms].map(([id, r]) => [id, r.lastId])),
      topics: this.topics,
    };
    for (const l of this.listeners) l.onResync?.(info);
  }

  // Components mount and unmount in bursts (a page change): send one frame per burst.
  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this._hello || !this.socket.isOpen) return;
    const add = [...this.topicCounts.keys()].filter((t) => !this.serverTopics.has(t));
    const drop = [...this.serverTopics].filter((t) => !this.topicCounts.has(t));
    // One topic per subscribe: the server refuses a whole frame when one topic in it is not the
    // person's to see (a ticket just deleted), and that must not cost the others.
    for (const t of add) if (this.socket.send({ type: 'subscribe', topics: [t] })) this.serverTopics.add(t);
    for (let i = 0; i < drop.length; i += 100) {
      const slice = drop.slice(i, i + 100);
      if (this.socket.send({ type: 'unsubscribe', topics: slice })) for (const t of slice) this.serverTopics.delete(t);
    }
  }
}
