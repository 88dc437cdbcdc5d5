import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { chatKeys } from '../api/chat';
import type { ChatMessage, ChatRoom, RoomMessages } from '../types';
import { testMessage, testUser } from '../testing/fixtures';
import { addMessages, applyFrame, applyUserFrame } from './cache-updates';

const user = testUser;
const msg = testMessage;

function setup() {
  const qc = new QueryClient();
  qc.setQueryData<RoomMessages>(chatKeys.messages(1), { messages: [msg(1), msg(2)], hasOlder: false });
  qc.setQueryData<ChatRoom[]>(chatKeys.rooms(9), [
    { id: 2, project: 9, last_message: null } as ChatRoom,
    { id: 1, project: 9, last_message: msg(2) } as ChatRoom,
  ]);
  const list = () => qc.getQueryData<RoomMessages>(chatKeys.messages(1))!.messages;
  return { qc, list };
}

describe('applyFrame', () => {
  it('reconciles a socket echo with the optimistic copy by client_id and bumps the room', () => {
    const { qc, list } = setup();
    addMessages(qc, 1, [msg(-1, { client_id: 'c1', pending: true })]);
    expect(list().map((m) => m.id)).toEqual([1, 2, -1]);
    applyFrame(qc, { room_id: 1, type: 'message_new', message: msg(3), client_id: 'c1' });
    expect(list().map((m) => m.id)).toEqual([1, 2, 3]);
    // the REST response for the same send arrives later: no duplicate
    addMessages(qc, 1, [msg(3, { client_id: 'c1' })]);
    expect(list().map((m) => m.id)).toEqual([1, 2, 3]);
    expect(qc.getQueryData<ChatRoom[]>(chatKeys.rooms(9))!.map((r) => r.id)).toEqual([1, 2]);
  });

  it('applies edits, deletions and reactions', () => {
    const { qc, list } = setup();
    applyFrame(qc, { room_id: 1, type: 'message_edited', message: msg(2, { content: 'new', is_edited: true, edited_at: '2025-02-01T00:00:00Z' }) });
    expect(list()[1].content).toBe('new');
    const reaction = { id: 5, user: user(7), emoji: '🎉', created_at: '2025-01-01T00:00:00Z' };
    applyFrame(qc, { room_id: 1, type: 'reaction_added', message_id: 1, reaction });
    applyFrame(qc, { room_id: 1, type: 'reaction_added', message_id: 1, reaction: { ...reaction, id: 6 } });
    expect(list()[0].reactions).toHaveLength(1);
    applyFrame(qc, { room_id: 1, type: 'reaction_removed', message_id: 1, user_id: 7, emoji: '🎉' });
    expect(list()[0].reactions).toHaveLength(0);
    applyFrame(qc, { room_id: 1, type: 'message_deleted', message_id: 1 });
    expect(list().map((m) => m.id)).toEqual([2]);
  });

  it('leaves rooms without a cached window alone, so opening them loads their history', () => {
    const { qc } = setup();
    applyFrame(qc, { room_id: 2, type: 'message_new', message: msg(7, { room: 2 }) });
    expect(qc.getQueryData(chatKeys.messages(2))).toBeUndefined();
    // but the room list shows the new message and moves the room up
    const rooms = qc.getQueryData<ChatRoom[]>(chatKeys.rooms(9))!;
    expect(rooms.map((r) => r.id)).toEqual([2, 1]);
    expect(rooms[0].last_message?.id).toBe(7);
  });
});

describe('applyUserFrame', () => {
  it('keeps the room list and its badges live', () => {
    const { qc } = setup();
    const rooms = () => qc.getQueryData<ChatRoom[]>(chatKeys.rooms(9))!;
    applyUserFrame(qc, { type: 'unread_updated', room_id: 2, unread_count: 3, mention_count: 1, unread_thread_count: 0 });
    expect(rooms()[0]).toMatchObject({ id: 2, unread_count: 3, mention_count: 1 });
    applyUserFrame(qc, { type: 'room_added', room: { id: 5, project: 9, display_name: 'new' } as ChatRoom });
    applyUserFrame(qc, { type: 'room_added', room: { id: 5, project: 9, display_name: 'new' } as ChatRoom });
    expect(rooms().map((r) => r.id)).toEqual([5, 2, 1]);
    applyUserFrame(qc, { type: 'room_updated', room: { id: 5, project: 9, display_name: 'renamed' } as ChatRoom });
    expect(rooms()[0].display_name).toBe('renamed');
    applyUserFrame(qc, { type: 'room_removed', room_id: 1 });
    expect(rooms().map((r) => r.id)).toEqual([5, 2]);
    expect(qc.getQueryData(chatKeys.messages(1))).toBeUndefined();
  });
});

describe('pin frames', () => {
  const ann = user(2);

  it('marks the message pinned and puts it first in the pins list when someone else pins it', () => {
    const { qc, list } = setup();
    qc.setQueryData<ChatMessage[]>(chatKeys.pins(1), [msg(1, { is_pinned: true })]);
    const pinnedAt = '2025-01-02T00:00:00Z';
    applyFrame(qc, { type: 'message_pinned', room_id: 1, message_id: 2, pinned_by: ann, message: msg(2, { is_pinned: true, pinned_by: ann, pinned_at: pinnedAt }) });
    expect(list().find((m) => m.id === 2)).toMatchObject({ is_pinned: true, pinned_by: ann, pinned_at: pinnedAt });
    expect(qc.getQueryData<ChatMessage[]>(chatKeys.pins(1))!.map((m) => m.id)).toEqual([2, 1]);
  });

  it('takes the pin down from the message and the pins list on message_unpinned', () => {
    const { qc, list } = setup();
    qc.setQueryData<ChatMessage[]>(chatKeys.pins(1), [msg(2, { is_pinned: true }), msg(1, { is_pinned: true })]);
    applyFrame(qc, { type: 'message_unpinned', room_id: 1, message_id: 2, pinned_by: ann });
    expect(list().find((m) => m.id === 2)).toMatchObject({ is_pinned: false, pinned_by: null, pinned_at: null });
    expect(qc.getQueryData<ChatMessage[]>(chatKeys.pins(1))!.map((m) => m.id)).toEqual([1]);
  });

  it('uses the cached message when the frame carries none, and never lists a pin twice', () => {
    const { qc } = setup();
    qc.setQueryData<ChatMessage[]>(chatKeys.pins(1), []);
    applyFrame(qc, { type: 'message_pinned', room_id: 1, message_id: 1, pinned_by: ann });
    applyFrame(qc, { type: 'message_pinned', room_id: 1, message_id: 1, pinned_by: ann });
    const pins = qc.getQueryData<ChatMessage[]>(chatKeys.pins(1))!;
    expect(pins.map((m) => [m.id, m.content, m.is_pinned])).toEqual([[1, 'm1', true]]);
  });

  it('leaves rooms whose pins were never loaded alone', () => {
    const { qc } = setup();
    applyFrame(qc, { type: 'message_unpinned', room_id: 1, message_id: 1, pinned_by: ann });
    expect(qc.getQueryData(chatKeys.pins(1))).toBeUndefined();
  });
});
