import { jwtExpiry } from './jwt';

export interface TokenPair {
  access: string;
  refresh: string;
}

export type RefreshFn = (refresh: string) => Promise<TokenPair>;

export const STORAGE_KEY = 'switchboard.tokens';
/** Refresh this long before the access token expires. */
const EARLY_MS = 30_000;

type Listener = (tokens: TokenPair | null) => void;

/**
 * Why the tokens went: the person signed out (here, or of every session at once), or the server
 * ended the session (from another device, a password change, or it ran out).
 */
export type EndReason = 'signed_out' | 'signed_out_everywhere' | 'session_ended';

/**
 * Holds the token pair, persists it, and refreshes it. Refresh tokens rotate on the server
 * (a used one is dead), so concurrent callers share one in-flight refresh.
 */
export class TokenManager {
  private tokens: TokenPair | null;
  private inflight: Promise<TokenPair | null> | null = null;
  private listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private _endReason: EndReason | null = null;
  private expectedEnd: EndReason | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly refreshFn: RefreshFn,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.tokens = this.read();
    this.schedule();
  }

  get access(): string | null {
    return this.tokens?.access ?? null;
  }

  get isSignedIn(): boolean {
    return this.tokens !== null;
  }

  /** Why the last session ended (null while signed in, or before any sign-out). */
  get endReason(): EndReason | null {
    return this._endReason;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(tokens: TokenPair | null): void {
    this.tokens = tokens;
    if (tokens) this._endReason = this.expectedEnd = null;
    if (tokens) this.storage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    else this.storage.removeItem(STORAGE_KEY);
    this.schedule();
    for (const l of this.listeners) l(tokens);
  }

  clear(reason: EndReason = 'signed_out'): void {
    if (this.tokens) this._endReason = this.expectedEnd ?? reason;
    this.expectedEnd = null;
    this.set(null);
  }

  /**
   * The person is about to end this session on purpose (sign out everywhere): when the server's
   * refusal arrives first (a socket closed with 4401), that is the reason, not "session ended".
   * `null` takes it back (the request failed).
   */
  expectEnd(reason: EndReason | null): void {
    this.expectedEnd = reason;
  }

  /** Another tab rotated the tokens: adopt them instead of refreshing with a dead token. */
  syncFromStorage(): void {
    const stored = this.read();
    if (stored?.refresh === this.tokens?.refresh && stored?.access === this.tokens?.access) return;
    // Another tab signed out: by choice, so no "session ended" warning here.
    if (this.tokens && !stored) this._endReason = 'signed_out';
    this.tokens = stored;
    this.schedule();
    for (const l of this.listeners) l(stored);
  }

  /** True when the access token is missing its `exp` or expires within the margin. */
  isExpiring(marginMs = EARLY_MS): boolean {
    if (!this.tokens) return false;
    const exp = jwtExpiry(this.tokens.access);
    if (exp === null) return false;
    return exp * 1000 - this.now() <= marginMs;
  }

  /** An access token good for a while, refreshing first when it is about to expire. */
  async getAccess(): Promise<string | null> {
    if (!this.tokens) return null;
    if (this.isExpiring()) {
      const fresh = await this.refresh();
      return fresh?.access ?? null;
    }
    return this.tokens.access;
  }

  /** Refreshes once for all concurrent callers. Resolves null (and signs out) when refresh fails. */
  refresh(): Promise<TokenPair | null> {
    if (this.inflight) return this.inflight;
    const current = this.read() ?? this.tokens;
    if (!current) return Promise.resolve(null);
    // A sibling tab may already have rotated: a newer pair in storage is good to use as is.
    if (this.tokens && current.refresh !== this.tokens.refresh && !this.expiringPair(current)) {
      this.tokens = current;
      this.schedule();
      return Promise.resolve(current);
    }
    this.inflight = this.refreshFn(current.refresh)
      .then((pair) => {
        this.set(pair);
        return pair;
      })
      .catch((err: unknown) => {
        // A network failure keeps the session; a rejected token ends it.
        if (isAuthRejection(err)) this.clear('session_ended');
        return null;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private expiringPair(pair: TokenPair): boolean {
    const exp = jwtExpiry(pair.access);
    return exp !== null && exp * 1000 - this.now() <= EARLY_MS;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.tokens) return;
    const exp = jwtExpiry(this.tokens.access);
    if (exp === null) return;
    const delay = Math.max(exp * 1000 - this.now() - EARLY_MS, 1_000);
    // setTimeout overflows past ~24.8 days.
    if (delay > 2 ** 31 - 1) return;
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private read(): TokenPair | null {
    try {
      const raw = this.storage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed = JSON.parse(raw) as Partial<TokenPair>;
      if (typeof parsed.access === 'string' && typeof parsed.refresh === 'string') {
        return { access: parsed.access, refresh: parsed.refresh };
      }
    } catch {
      /* corrupt storage: treat as signed out */
    }
    return null;
  }
}

function isAuthRejection(err: unknown): boolean {
  const status = (err as { status?: number } | null)?.status;
  return status === 400 || status === 401 || status === 403;
}
