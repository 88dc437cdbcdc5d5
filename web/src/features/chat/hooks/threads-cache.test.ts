import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { chatKeys } from '../api/chat';
import { threadKeys, toThread, unreadFirst } from '../api/threads';
import type { ChatMessage, ChatRoom, RoomMessages, ThreadMessages } from '../types';
import { testMessage, testUser } from '../testing/fixtures';
import { applyFrame, type ChatFrame } from './cache-updates';
import { lastOwnMessageId, readersOf, seenByLabel } from './seen-by';

const user = (id: number) => testUser(id, `U${id}`);
const msg = (id: number, extra: Partial<ChatMessage> = {}) => testMessage(id, { user: user(1), ...extra });

function setup(withThread = true) {
  const qc = new QueryClient();
  qc.setQueryData<RoomMessages>(chatKeys.messages(1), { messages: [msg(1), msg(2)], hasOlder: false });
  qc.setQueryData<ChatRoom[]>(chatKeys.rooms(9), [
    {
      id: 1,
      project: 9,
      last_message: msg(2),
      participants: [
        { id: 1, user: user(1), joined_at: '', last_read_at: null, last_read_message_id: 2 },
        { id: 2, user: user(2), joined_at: '', last_read_at: null, last_read_message_id: 1 },
      ],
    } as unknown as ChatRoom,
  ]);
  if (withThread) qc.setQueryData<ThreadMessages>(threadKeys.thread(1), { root: msg(1), replies: [], hasOlder: false });
  const timeline = () => qc.getQueryData<RoomMessages>(chatKeys.messages(1))!.messages;
  const thread = () => qc.getQueryData<ThreadMessages>(threadKeys.thread(1))!;
  const room = () => qc.getQueryData<ChatRoom[]>(chatKeys.rooms(9))![0];
  return { qc, timeline, thread, room };
}

const frame = (f: Record<string, unknown>) => ({ room_id: 1, ...f }) as unknown as ChatFrame;

describe('thread frames in the cache', () => {
  it('keeps a thread-only reply out of the room timeline and adds it to the open thread', () => {
    const { qc, timeline, thread, room } = setup();
    applyFrame(qc, frame({ type: 'message_new', message: msg(3, { user: user(2), thread_root_id: 1 }) }));
    expect(timeline().map((m) => m.id)).toEqual([1, 2]);
    expect(thread().replies.map((m) => m.id)).toEqual([3]);
    expect(room().last_message?.id).toBe(2);
  });

  it('puts a reply also sent to the room in both', () => {
    const { qc, timeline, thread, room } = setup();
    applyFrame(qc, frame({ type: 'message_new', message: msg(3, { user: user(2), thread_root_id: 1, also_send_to_room: true }) }));
    expect(timeline().map((m) => m.id)).toEqual([1, 2, 3]);
    expect(thread().replies.map((m) => m.id)).toEqual([3]);
    expect(room().last_message?.id).toBe(3);
  });

  it('does not make a thread window for a thread that is not open', () => {
    const { qc } = setup(false);
    applyFrame(qc, frame({ type: 'message_new', message: msg(3, { thread_root_id: 1 }) }));
    expect(qc.getQueryData(threadKeys.thread(1))).toBeUndefined();
  });

  it('applies thread_updated to the root in the timeline and in the panel', () => {
    const { qc, timeline, thread } = setup();
    applyFrame(qc, frame({ type: 'thread_updated', root_id: 1, reply_count: 3, last_reply_at: '2025-01-01T01:00:00Z', thread_participants: [user(2)] }));
    expect(timeline()[0]).toMatchObject({ reply_count: 3, last_reply_at: '2025-01-01T01:00:00Z', thread_participants: [user(2)] });
    expect(thread().root).toMatchObject({ reply_count: 3 });
    expect(timeline()[1].reply_count).toBeUndefined();
  });

  it('edits, reacts and deletes inside an open thread as in the room', () => {
    const { qc, thread } = setup();
    applyFrame(qc, frame({ type: 'message_new', message: msg(3, { thread_root_id: 1 }) }));
    applyFrame(qc, frame({ type: 'message_edited', message: msg(3, { thread_root_id: 1, content: 'fixed', is_edited: true, edited_at: '2025-01-02T00:00:00Z' }) }));
    expect(thread().replies[0].content).toBe('fixed');
    applyFrame(qc, frame({ type: 'reaction_added', message_id: 3, reaction: { id: 5, user: user(2), emoji: '👍', created_at: '' } }));
    expect(thread().replies[0].reactions.map((r) => r.emoji)).toEqual(['👍']);
    applyFrame(qc, frame({ type: 'message_deleted', message_id: 3 }));
    expect(thread().replies).toEqual([]);
    expect(thread().root?.id).toBe(1);
  });

  it('moves a participant\'s read mark on read_receipt', () => {
    const { qc, room } = setup();
    applyFrame(qc, frame({ type: 'read_receipt', user_id: 2, last_read_message_id: 2, read_at: '2025-01-01T02:00:00Z' }));
    expect(room().participants[1]).toMatchObject({ last_read_message_id: 2, last_read_at: '2025-01-01T02:00:00Z' });
  });
});

describe('thread pages and lists', () => {
  it('splits a ?thread= page into the root and its replies, merging what is cached', () => {
    const first = toThread(1, [msg(1), msg(3, { thread_root_id: 1 })], undefined, false);
    expect(first.root?.id).toBe(1);
    expect(first.replies.map((m) => m.id)).toEqual([3]);
    const again = toThread(1, [msg(4, { thread_root_id: 1 })], first, true);
    expect(again.root?.id).toBe(1);
    expect(again.replies.map((m) => m.id)).toEqual([3, 4]);
  });

  it('lists unread threads first, without repeating them', () => {
    const out = unreadFirst([msg(5)], [msg(7), msg(5), msg(3)]);
    expect(out.map((e) => [e.root.id, e.unread])).toEqual([
      [5, true],
      [7, false],
      [3, false],
    ]);
  });
});

describe('seen by', () => {
  const participants = [
    { id: 1, user: user(1), joined_at: '', last_read_at: '2025-01-01T00:00:05Z', last_read_message_id: 9 },
    { id: 2, user: user(2), joined_at: '', last_read_at: '2025-01-01T00:00:03Z', last_read_message_id: 5 },
    { id: 3, user: user(3), joined_at: '', last_read_at: '2025-01-01T00:00:01Z', last_read_message_id: 4 },
    // Does not share receipts: others see no mark.
    { id: 4, user: user(4), joined_at: '', last_read_at: null, last_read_message_id: null },
  ];

  it('counts readers at or after the message, never its author, earliest first', () => {
    expect(readersOf(participants, msg(5, { user: user(1) })).map((u) => u.id)).toEqual([2]);
    expect(readersOf(participants, msg(4, { user: user(1) })).map((u) => u.id)).toEqual([3, 2]);
    expect(readersOf(participants, msg(-1, { user: user(1) }))).toEqual([]);
  });

  it('names a few readers, counts many, and says everyone when all have read', () => {
    expect(seenByLabel([user(2)], 1)).toBe('Seen by U2');
    expect(seenByLabel([user(2), user(3)], 5)).toBe('Seen by U2, U3');
    expect(seenByLabel([user(2), user(3), user(4), user(5)], 12)).toBe('Seen by 4');
    expect(seenByLabel([user(2), user(3)], 2)).toBe('Seen by everyone');
    expect(seenByLabel([], 2)).toBe('');
  });

  it('shows under the caller\'s newest confirmed message', () => {
    expect(lastOwnMessageId([msg(1), msg(2, { user: user(2) }), msg(-3, { pending: true })], 1)).toBe(1);
    expect(lastOwnMessageId([msg(2, { user: user(2) })], 1)).toBeNull();
  });
});
