import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage, RoomMessages } from '../types';

const calls: Record<string, unknown>[] = [];
let pages: (query: Record<string, unknown>) => ChatMessage[] = () => [];

vi.mock('@/lib/api-client', () => ({
  api: async (_path: string, opts: { query: Record<string, unknown> }) => {
    calls.push(opts.query);
    return { count: 0, next: null, previous: null, results: pages(opts.query) };
  },
}));

const { catchUp, chatKeys } = await import('./chat');

function msg(id: number): ChatMessage {
  return { id, content: `m${id}`, user: { id: 2 } } as unknown as ChatMessage;
}

afterEach(() => {
  calls.length = 0;
});

describe('catchUp', () => {
  it('picks up a message that committed after a higher id was already seen', async () => {
    const qc = new QueryClient();
    // The client saw 10 and 12; 11 committed late, so ?after=12 never returns it.
    qc.setQueryData<RoomMessages>(chatKeys.messages(7), { messages: [msg(10), msg(12)], hasOlder: false });
    pages = (q) => (q.after !== undefined ? [msg(13)] : [msg(10), msg(11), msg(12), msg(13)]);

    const missed = await catchUp(qc, 7, 12);

    expect(missed.map((m) => m.id).sort()).toEqual([11, 13]);
    const cached = qc.getQueryData<RoomMessages>(chatKeys.messages(7))!.messages.map((m) => m.id);
    expect(cached).toEqual([10, 11, 12, 13]);
    expect(calls.some((q) => q.after === undefined && q.room === 7)).toBe(true);
  });
});
