import type { PresenceStatus } from './frames';

export type PresenceFetcher = (ids: number[]) => Promise<{ user_id: number; status: PresenceStatus }[]>;

/**
 * Who is online, for the people on screen. Statuses come from one batched GET for the ids the
 * screen shows, then from presence_changed frames; after a resync the known ids are asked again.
 */
export class PresenceStore {
  private readonly statuses = new Map<number, PresenceStatus>();
  private readonly listeners = new Set<() => void>();
  private readonly requested = new Set<number>();
  private pending = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fetcher: PresenceFetcher,
    private readonly batchMs = 50,
  ) {}

  get(userId: number): PresenceStatus | undefined {
    return this.statuses.get(userId);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(userId: number, status: PresenceStatus): void {
    this.requested.add(userId);
    if (this.statuses.get(userId) === status) return;
    this.statuses.set(userId, status);
    this.emit();
  }

  /** A person appeared on screen: fetch their status unless it is known or on its way. */
  request(userId: number): void {
    if (this.requested.has(userId)) return;
    this.requested.add(userId);
    this.pending.add(userId);
    this.timer ??= setTimeout(() => void this.fetchPending(), this.batchMs);
  }

  /** Frames may have been missed: ask again for everyone asked about so far. */
  refreshAll(): void {
    for (const id of this.requested) this.pending.add(id);
    if (this.pending.size) this.timer ??= setTimeout(() => void this.fetchPending(), this.batchMs);
  }

  clear(): void {
    this.statuses.clear();
    this.requested.clear();
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.emit();
  }

  private async fetchPending(): Promise<void> {
    this.timer = null;
    const ids = [...this.pending];
    this.pending = new Set();
    // The server takes a bounded list; ask in slices.
    for (let i = 0; i < ids.length; i += 100) {
      const slice = ids.slice(i, i + 100);
      try {
        const results = await this.fetcher(slice);
        let changed = false;
        for (const r of results) {
          if (this.statuses.get(r.user_id) !== r.status) {
            this.statuses.set(r.user_id, r.status);
            changed = true;
          }
        }
        if (changed) this.emit();
      } catch {
        // Unknown stays unknown (no dot); a later resync asks again.
      }
    }
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
