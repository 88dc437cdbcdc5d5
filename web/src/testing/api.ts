import { afterEach, beforeEach, vi } from 'vitest';
import { tokens } from '@/lib/api-client';

const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '');

/** A JSON response as the server sends it. */
export const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * Call inside a `describe`: before each test, signs in with an access token valid for an hour and
 * puts the returned mock in place of fetch (queue answers with `mockResolvedValueOnce(json(...))`);
 * after each, puts fetch back and signs out.
 */
export function signedInFetch() {
  const fetchMock = vi.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    tokens.set({ access: `${b64({ alg: 'HS256' })}.${b64({ exp: Math.floor(Date.now() / 1000) + 3600 })}.x`, refresh: 'r1' });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    tokens.clear();
  });
  return fetchMock;
}
