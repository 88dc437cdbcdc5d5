import type { ProblemDetails } from '@/types/api';
import { TokenManager, type TokenPair } from './auth/token-manager';

/** An HTTP error carrying the server's RFC 9457 problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails,
    readonly retryAfter: number | null = null,
  ) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
  }

  get fieldErrors(): Record<string, string[]> {
    return this.problem.errors ?? {};
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | (string | number)[]>;

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  query?: Query;
  signal?: AbortSignal;
  /** Send the bearer token and retry once after a refresh on 401 (default true). */
  auth?: boolean;
}

export function buildQuery(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function parseError(res: Response): Promise<ApiError> {
  let problem: ProblemDetails = { status: res.status, title: res.statusText };
  try {
    const text = await res.text();
    if (text) {
      const parsed = JSON.parse(text) as ProblemDetails & { detail?: unknown };
      problem = { ...problem, ...parsed };
      if (typeof parsed.detail !== 'string' && parsed.detail !== undefined) {
        problem.detail = String(parsed.detail);
      }
    }
  } catch {
    /* not JSON: keep the status line */
  }
  const ra = res.headers.get('Retry-After');
  let retryAfter: number | null = null;
  if (ra) {
    const secs = Number(ra);
    retryAfter = Number.isFinite(secs) ? secs : Math.max(0, Math.ceil((Date.parse(ra) - Date.now()) / 1000));
  }
  return new ApiError(res.status, problem, retryAfter);
}

async function rawRefresh(refresh: string): Promise<TokenPair> {
  const res = await fetch('/api/auth/token/refresh/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ refresh }),
  });
  if (!res.ok) throw await parseError(res);
  return (await res.json()) as TokenPair;
}

export const tokens = new TokenManager(window.localStorage, rawRefresh);

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (e) => {
    if (e.key === null || e.key === 'switchboard.tokens') tokens.syncFromStorage();
  });
}

async function send(path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.form) body = opts.form;
  else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  return fetch(path + buildQuery(opts.query), {
    method: opts.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
    signal: opts.signal,
  });
}

/** Calls the API; on 401 refreshes once and retries, else signs out. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const useAuth = opts.auth !== false;
  let token = useAuth ? await tokens.getAccess() : null;
  let res = await send(path, opts, token);
  if (res.status === 401 && useAuth && token) {
    const fresh = await tokens.refresh();
    if (fresh) {
      token = fresh.access;
      res = await send(path, opts, token);
    }
    if (res.status === 401) tokens.clear('session_ended');
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches a protected file with the bearer token (for attachments that are not signed links). */
export async function fetchBlob(url: string): Promise<Blob> {
  const token = await tokens.getAccess();
  const res = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw await parseError(res);
  return res.blob();
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      return err.retryAfter != null
        ? `Too many attempts. Try again in ${err.retryAfter} s.`
        : 'Too many attempts. Try again later.';
    }
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return 'Something went wrong';
}
