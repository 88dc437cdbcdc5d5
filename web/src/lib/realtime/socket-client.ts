export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The slice of the browser WebSocket the client needs (lets tests pass a fake). */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is randomised (0..1). */
  jitter: number;
}

export interface SocketClientOptions {
  /** Builds the URL for a token, e.g. ws://host/ws/?token=... */
  url: (token: string) => string;
  getToken: () => Promise<string | null>;
  /** Called once after a 4401 close; resolves a new access token or null. */
  refreshToken?: () => Promise<string | null>;
  /** Every text frame as it arrives. */
  onMessage?: (data: string) => void;
  /** The socket opened; `reconnect` is false only for the very first open. */
  onOpen?: (info: { reconnect: boolean }) => void;
  onStateChange?: (state: ConnectionState) => void;
  /** Stopped for good (4403, or 4401 after a refresh): the caller may show why. */
  onFatalClose?: (code: number) => void;
  createSocket?: WebSocketFactory;
  backoff?: Partial<BackoffOptions>;
  pingIntervalMs?: number;
  random?: () => number;
}

const OPEN = 1;
const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.3 };

/** The delay before reconnect attempt `attempt` (0-based), with jitter applied. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(opts.maxMs, opts.initialMs * opts.factor ** attempt);
  const spread = base * opts.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}

/**
 * A socket that stays up: connects with the current token, pings, reconnects with exponential
 * back-off and jitter, and on 4401 refreshes the token once before giving up. It knows nothing
 * of what the frames mean; the user socket (user-socket.ts) builds on it.
 */
export class ReconnectingSocket {
  private ws: WebSocketLike | null = null;
  private _state: ConnectionState = 'idle';
  private attempt = 0;
  private everOpened = false;
  private stopped = false;
  private authRetried = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private pingMs: number;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly createSocket: WebSocketFactory;

  constructor(private readonly opts: SocketClientOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.pingMs = opts.pingIntervalMs ?? 25_000;
    this.random = opts.random ?? Math.random;
    this.createSocket = opts.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
  }

  get state(): ConnectionState {
    return this._state;
  }

  get isOpen(): boolean {
    return !!this.ws && this.ws.readyState === OPEN;
  }

  connect(): void {
    this.stopped = false;
    if (this.ws || this.reconnectTimer) return;
    void this.open();
  }

  /** Closes for good. */
  close(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try {
        ws.close(1000, 'client closed');
      } catch {
        /* already closing */
      }
    }
    this.setState('closed');
  }

  /** Sends a frame when open; returns false otherwise so the caller can fall back to REST. */
  send(frame: object): boolean {
    if (!this.ws || this.ws.readyState !== OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** The server said how often it wants a ping (hello's heartbeat_seconds). */
  setPingInterval(ms: number): void {
    if (!(ms > 0) || ms === this.pingMs) return;
    this.pingMs = ms;
    if (this.pingTimer) this.startPing();
  }

  /** Drops the connection and reconnects at once (the browser came back online, or a seq gap). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.attempt = 0;
    this.dropSocket();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.open();
  }

  private async open(): Promise<void> {
    this.setState(this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting');
    let token: string | null = null;
    try {
      token = await this.opts.getToken();
    } catch {
      token = null;
    }
    if (this.stopped) return;
    if (!token) {
      this.scheduleReconnect();
      return;
    }
    let ws: WebSocketLike;
    try {
      ws = this.createSocket(this.opts.url(token));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      const reconnect = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.lastFrameAt = Date.now();
      this.setState('open');
      this.startPing();
      this.opts.onOpen?.({ reconnect });
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      // A frame means the server accepted this token: a later 4401 may try a refresh again.
      this.authRetried = false;
      if (typeof ev.data === 'string') this.opts.onMessage?.(ev.data);
    };
    ws.onerror = () => {
      /* onclose follows and decides */
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.stopPing();
      void this.handleClose(ev.code);
    };
  }

  private async handleClose(code: number): Promise<void> {
    if (this.stopped) return;
    if (code === 4403) {
      this.stop(code);
      return;
    }
    if (code === 4401) {
      // The token expired, or the session was ended: one refresh tells which.
      if (this.authRetried || !this.opts.refreshToken) {
        this.stop(code);
        return;
      }
      this.authRetried = true;
      this.setState('reconnecting');
      const fresh = await this.opts.refreshToken().catch(() => null);
      if (this.stopped) return;
      if (!fresh) {
        this.stop(code);
        return;
      }
      void this.open();
      return;
    }
    this.scheduleReconnect();
  }

  private stop(code: number): void {
    this.stopped = true;
    this.clearTimers();
    this.setState('closed');
    this.opts.onFatalClose?.(code);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.setState('reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.open();
    }, delay);
  }

  private startPing(): void {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.ws) return;
      // Nothing heard for two intervals (not even a pong): the link is dead even if TCP says not.
      if (Date.now() - this.lastFrameAt > this.pingMs * 2 + 1_000) {
        this.dropSocket();
        this.scheduleReconnect();
        return;
      }
      this.send({ type: 'ping' });
    }, this.pingMs);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private dropSocket(): void {
    const ws = this.ws;
    this.ws = null;
    this.stopPing();
    if (ws) {
      ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
      try {
        ws.close(4000, 'reconnecting');
      } catch {
        /* ignore */
      }
    }
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
  }

  private setState(state: ConnectionState): void {
    if (state === this._state) return;
    this._state = state;
    this.opts.onStateChange?.(state);
  }
}

/** ws:// or wss:// URL of the user socket on the current host. */
export function userSocketUrl(token: string, loc: Location = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/ws/?token=${encodeURIComponent(token)}`;
}
