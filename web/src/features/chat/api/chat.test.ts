import { describe, expect, it } from 'vitest';
import { hasMore, PAGE_SIZE } from './chat';
import type { ChatMessage } from '../types';

const page = (next: string | null, previous: string | null, count = 500) => ({ count, next, previous, results: [] as ChatMessage[] });

describe('hasMore', () => {
  it('follows cursor links: previous has before=, next has after=', () => {
    const res = page('http://h/api/chat/messages/?room=1&after=90', 'http://h/api/chat/messages/?room=1&before=41');
    expect(hasMore(res, 50, 'before')).toBe(true);
    expect(hasMore(res, 50, 'after')).toBe(true);
    const newest = page(null, 'http://h/api/chat/messages/?room=1&before=41');
    expect(hasMore(newest, 50, 'after')).toBe(false);
    const oldest = page('http://h/api/chat/messages/?room=1&after=10', null);
    expect(hasMore(oldest, 10, 'before')).toBe(false);
  });

  it('says no for an empty page whatever the links', () => {
    expect(hasMore(page('x?after=1', 'x?before=1'), 0, 'before')).toBe(false);
  });

  it('falls back to page fullness without links', () => {
    expect(hasMore(page(null, null, 120), PAGE_SIZE, 'before')).toBe(true);
    expect(hasMore(page(null, null, 30), 30, 'before')).toBe(false);
    expect(hasMore([] as ChatMessage[], PAGE_SIZE, 'after')).toBe(true);
  });
});
