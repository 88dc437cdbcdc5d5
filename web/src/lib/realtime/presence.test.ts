import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PresenceStore } from './presence';

describe('PresenceStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks once, in one batch, for the people on screen and follows presence_changed after', async () => {
    const fetcher = vi.fn(async (ids: number[]) => ids.map((user_id) => ({ user_id, status: 'online' as const })));
    const store = new PresenceStore(fetcher);
    const seen = vi.fn();
    store.subscribe(seen);
    store.request(1);
    store.request(2);
    store.request(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(fetcher).toHaveBeenCalledWith([1, 2]);
    expect(store.get(2)).toBe('online');
    store.set(2, 'away');
    expect(store.get(2)).toBe('away');
    expect(seen).toHaveBeenCalledTimes(2);
    store.request(2);
    await vi.advanceTimersByTimeAsync(50);
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('asks again for everyone after a resync, and survives a failed request', async () => {
    const fetcher = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue([{ user_id: 1, status: 'offline' }]);
    const store = new PresenceStore(fetcher);
    store.request(1);
    await vi.advanceTimersByTimeAsync(50);
    expect(store.get(1)).toBeUndefined();
    store.refreshAll();
    await vi.advanceTimersByTimeAsync(50);
    expect(fetcher).toHaveBeenLastCalledWith([1]);
    expect(store.get(1)).toBe('offline');
  });
});
