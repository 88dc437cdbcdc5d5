import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook } from '@testing-library/react';
import { App } from 'antd';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { json, signedInFetch } from '@/testing/api';
import { chatKeys } from '../api/chat';
import { threadKeys } from '../api/threads';
import { testMessage, testUser } from '../testing/fixtures';
import type { RoomMessages, ThreadMessages } from '../types';
import { useToggleReaction } from './use-toggle-reaction';

const me = testUser(7);
const msg = testMessage;

function setup(threadRootId?: number) {
  const qc = new QueryClient();
  qc.setQueryData<RoomMessages>(chatKeys.messages(1), { messages: [msg(1), msg(2)], hasOlder: false });
  qc.setQueryData<ThreadMessages>(threadKeys.thread(1), { root: msg(1), replies: [msg(3, { thread_root_id: 1 })], hasOlder: false });
  const { result } = renderHook(() => useToggleReaction(1, me, threadRootId), {
    wrapper: ({ children }) => (
      <QueryClientProvider client={qc}>
        <App>{children}</App>
      </QueryClientProvider>
    ),
  });
  const reactionsOf = (id: number) =>
    [...qc.getQueryData<RoomMessages>(chatKeys.messages(1))!.messages, ...qc.getQueryData<ThreadMessages>(threadKeys.thread(1))!.replies].find((m) => m.id === id)!.reactions;
  return { qc, toggle: result.current, reactionsOf };
}

describe('useToggleReaction', () => {
  const fetchMock = signedInFetch();
  afterEach(cleanup);

  it('shows my reaction at once, then sends it', async () => {
    fetchMock.mockResolvedValueOnce(json(200, {}));
    const { toggle, reactionsOf } = setup();
    await act(() => toggle(msg(2), '👍', false));
    expect(reactionsOf(2).map((r) => [r.user.id, r.emoji])).toEqual([[7, '👍']]);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toContain('/api/chat/messages/2/add_reaction/');
    expect(JSON.parse(init.body as string)).toEqual({ emoji: '👍' });
  });

  it('takes a reaction back in the thread too, and refetches only the thread when the server refuses', async () => {
    fetchMock.mockResolvedValueOnce(json(404, { status: 404, title: 'Not Found', detail: 'Message not found.' }));
    const { qc, toggle, reactionsOf } = setup(1);
    qc.setQueryData<ThreadMessages>(threadKeys.thread(1), (t) => ({ ...t!, replies: [msg(3, { thread_root_id: 1, reactions: [{ id: 5, user: me, emoji: '🎉', created_at: '2025-01-01T00:00:09Z' }] })] }));
    await act(() => toggle(msg(3), '🎉', true));
    expect(reactionsOf(3)).toEqual([]);
    expect((fetchMock.mock.calls[0] as [string])[0]).toContain('/api/chat/messages/3/remove_reaction/');
    expect(qc.getQueryState(threadKeys.thread(1))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(chatKeys.messages(1))?.isInvalidated).toBe(false);
  });

  it('refetches the room timeline when a reaction in the room is refused', async () => {
    fetchMock.mockResolvedValueOnce(json(403, { status: 403, title: 'Forbidden', detail: 'Viewers can read this chat but not write in it.' }));
    const { qc, toggle } = setup();
    await act(() => toggle(msg(1), '👍', false));
    expect(qc.getQueryState(chatKeys.messages(1))?.isInvalidated).toBe(true);
    expect(qc.getQueryState(threadKeys.thread(1))?.isInvalidated).toBe(false);
  });
});
