import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEY, TokenManager, type TokenPair } from './token-manager';
import { jwtExpiry } from './jwt';

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const jwt = (expSeconds: number) => `${b64({ alg: 'HS256' })}.${b64({ sub: '1', exp: expSeconds })}.sig`;
const NOW = 1_800_000_000_000;

describe('jwtExpiry', () => {
  it('reads exp and tolerates garbage', () => {
    expect(jwtExpiry(jwt(123))).toBe(123);
    expect(jwtExpiry('nope')).toBeNull();
    expect(jwtExpiry('a.###.c')).toBeNull();
  });
});

describe('TokenManager', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  const fresh = (): TokenPair => ({ access: jwt(NOW / 1000 + 600), refresh: 'r1' });
  const expiring = (): TokenPair => ({ access: jwt(NOW / 1000 + 10), refresh: 'r1' });

  it('persists tokens and reads them back on start', () => {
    const a = new TokenManager(localStorage, vi.fn());
    a.set(fresh());
    const b = new TokenManager(localStorage, vi.fn());
    expect(b.isSignedIn).toBe(true);
    expect(b.access).toBe(fresh().access);
    b.clear();
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('shares one refresh between concurrent callers (rotated refresh tokens die on use)', async () => {
    let resolve!: (p: TokenPair) => void;
    const refreshFn = vi.fn(() => new Promise<TokenPair>((r) => (resolve = r)));
    const tm = new TokenManager(localStorage, refreshFn, () => Date.now());
    tm.set(expiring());
    const calls = [tm.getAccess(), tm.getAccess(), tm.refresh()];
    expect(refreshFn).toHaveBeenCalledTimes(1);
    expect(refreshFn).toHaveBeenCalledWith('r1');
    const next = { access: jwt(NOW / 1000 + 900), refresh: 'r2' };
    resolve(next);
    const [a, b, c] = await Promise.all(calls);
    expect(a).toBe(next.access);
    expect(b).toBe(next.access);
    expect(c).toEqual(next);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).refresh).toBe('r2');
  });

  it('does not refresh a token that is still good', async () => {
    const refreshFn = vi.fn();
    const tm = new TokenManager(localStorage, refreshFn, () => Date.now());
    tm.set(fresh());
    expect(await tm.getAccess()).toBe(fresh().access);
    expect(refreshFn).not.toHaveBeenCalled();
  });

  it('signs out when the refresh token is rejected, but not on a network error', async () => {
    const tm = new TokenManager(localStorage, vi.fn().mockRejectedValueOnce(new TypeError('offline')).mockRejectedValueOnce({ status: 401 }), () => Date.now());
    tm.set(expiring());
    expect(await tm.refresh()).toBeNull();
    expect(tm.isSignedIn).toBe(true);
    expect(await tm.refresh()).toBeNull();
    expect(tm.isSignedIn).toBe(false);
  });

  it('refreshes on its own shortly before expiry', async () => {
    const next = { access: jwt(NOW / 1000 + 1200), refresh: 'r2' };
    const refreshFn = vi.fn().mockResolvedValue(next);
    const tm = new TokenManager(localStorage, refreshFn, () => Date.now());
    tm.set(fresh()); // expires in 600 s; refresh 30 s early
    await vi.advanceTimersByTimeAsync(569_000);
    expect(refreshFn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshFn).toHaveBeenCalledTimes(1);
    expect(tm.access).toBe(next.access);
  });

  it('adopts a pair another tab already rotated instead of using a dead refresh token', async () => {
    const refreshFn = vi.fn();
    const tm = new TokenManager(localStorage, refreshFn, () => Date.now());
    tm.set(expiring());
    const other = { access: jwt(NOW / 1000 + 900), refresh: 'r-other' };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(other));
    expect(await tm.refresh()).toEqual(other);
    expect(refreshFn).not.toHaveBeenCalled();
  });

  it('notifies subscribers', () => {
    const tm = new TokenManager(localStorage, vi.fn());
    const seen: (TokenPair | null)[] = [];
    const off = tm.subscribe((t) => seen.push(t));
    tm.set(fresh());
    tm.clear();
    off();
    tm.set(fresh());
    expect(seen).toEqual([fresh(), null]);
  });
});

describe('TokenManager end reason', () => {
  const pair: TokenPair = { access: 'a.b.c', refresh: 'r1' };
  beforeEach(() => localStorage.clear());

  it('says a rejected refresh ended the session, and a sign-out did not', async () => {
    const m = new TokenManager(localStorage, () => Promise.reject(Object.assign(new Error('no'), { status: 401 })));
    m.set(pair);
    expect(await m.refresh()).toBeNull();
    expect(m.isSignedIn).toBe(false);
    expect(m.endReason).toBe('session_ended');
    m.set(pair);
    expect(m.endReason).toBeNull();
    m.clear();
    expect(m.endReason).toBe('signed_out');
  });

  it('keeps the session when the refresh fails for want of a network', async () => {
    const m = new TokenManager(localStorage, () => Promise.reject(new TypeError('offline')));
    m.set(pair);
    expect(await m.refresh()).toBeNull();
    expect(m.isSignedIn).toBe(true);
    expect(m.endReason).toBeNull();
  });

  it('keeps the reason the person gave when the server’s refusal arrives first', async () => {
    const m = new TokenManager(localStorage, () => Promise.reject(Object.assign(new Error('no'), { status: 401 })));
    m.set(pair);
    m.expectEnd('signed_out_everywhere');
    await m.refresh();
    expect(m.endReason).toBe('signed_out_everywhere');
    m.set(pair);
    m.expectEnd('signed_out_everywhere');
    m.expectEnd(null);
    await m.refresh();
    expect(m.endReason).toBe('session_ended');
  });
});
