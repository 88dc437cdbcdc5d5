import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, buildQuery, errorMessage, tokens } from './api-client';

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');
const jwt = (exp: number) => `${b64({ alg: 'HS256' })}.${b64({ exp })}.x`;
const later = () => Math.floor(Date.now() / 1000) + 3600;

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('api client', () => {
  const fetchMock = vi.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    tokens.set({ access: jwt(later()), refresh: 'r1' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    tokens.clear();
  });

  it('builds query strings, dropping empty values and joining lists', () => {
    expect(buildQuery({ a: 1, b: '', c: undefined, d: null, e: ['x', 'y'], f: [] })).toBe('?a=1&e=x%2Cy');
    expect(buildQuery({})).toBe('');
  });

  it('sends the bearer token and parses JSON', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { ok: 1 }));
    expect(await api('/api/x/')).toEqual({ ok: 1 });
    const [, init] = fetchMock.mock.calls[0];
    expect(init.headers.Authorization).toMatch(/^Bearer /);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    const fresh = jwt(later() + 10);
    fetchMock
      .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized' }))
      .mockResolvedValueOnce(json(200, { access: fresh, refresh: 'r2' }))
      .mockResolvedValueOnce(json(200, { ok: 2 }));
    expect(await api('/api/x/')).toEqual({ ok: 2 });
    expect(fetchMock.mock.calls[1][0]).toBe('/api/auth/token/refresh/');
    expect(JSON.parse(fetchMock.mock.calls[1][1].body)).toEqual({ refresh: 'r1' });
    expect(fetchMock.mock.calls[2][1].headers.Authorization).toBe(`Bearer ${fresh}`);
  });

  it('signs out when the retry is still 401', async () => {
    fetchMock
      .mockResolvedValueOnce(json(401, { status: 401 }))
      .mockResolvedValueOnce(json(200, { access: jwt(later()), refresh: 'r2' }))
      .mockResolvedValueOnce(json(401, { status: 401, detail: 'nope' }));
    await expect(api('/api/x/')).rejects.toBeInstanceOf(ApiError);
    expect(tokens.isSignedIn).toBe(false);
  });

  it('exposes problem details, field errors and Retry-After', async () => {
    fetchMock.mockResolvedValueOnce(json(400, { status: 400, title: 'Bad', detail: 'Invalid', errors: { key: ['Taken'] } }));
    const err = (await api('/api/x/', { method: 'POST', body: {} }).catch((e) => e)) as ApiError;
    expect(err.status).toBe(400);
    expect(err.fieldErrors).toEqual({ key: ['Taken'] });
    expect(err.message).toBe('Invalid');

    fetchMock.mockResolvedValueOnce(json(429, { status: 429, title: 'Too Many Requests' }, { 'Retry-After': '17' }));
    const limited = await api('/api/auth/token/', { method: 'POST', body: {}, auth: false }).catch((e) => e);
    expect(errorMessage(limited)).toContain('17 s');
  });

  it('returns undefined for 204', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    expect(await api('/api/x/', { method: 'DELETE' })).toBeUndefined();
  });
});
