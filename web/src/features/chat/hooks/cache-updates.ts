import type { QueryClient } from '@tanstack/react-query';
import type { RoomFrame, UserFrame } from '@/lib/realtime/frames';
import { chatKeys } from '../api/chat';
import { threadKeys } from '../api/threads';
import type { ChatMessage, ChatRoom, MessageReaction, RoomMessages, ThreadMessages } from '../types';
import { markFailed, mergeMessages, removeMessage, updateMessage } from './message-merge';
import { withReaction, withoutReaction } from './reactions';

export type ChatFrame = RoomFrame<ChatMessage, ChatMessage['user']>;
export type ChatUserFrame = UserFrame<ChatRoom>;

/** Every cached room list (one per project). */
function roomLists(qc: QueryClient) {
  return qc.getQueriesData<ChatRoom[]>({ queryKey: chatKeys.allRooms() }).filter(([key]) => key.length === 3);
}

/** The project of a room, from whichever room list has it. */
export function projectOfRoom(qc: QueryClient, roomId: number): number | null {
  for (const [, rooms] of roomLists(qc)) {
    const room = rooms?.find((r) => r.id === roomId);
    if (room) return room.project;
  }
  return qc.getQueryData<ChatRoom>(chatKeys.room(roomId))?.project ?? null;
}

function patchRooms(qc: QueryClient, fn: (room: ChatRoom) => ChatRoom) {
  for (const [key, rooms] of roomLists(qc)) {
    if (rooms) qc.setQueryData<ChatRoom[]>(key, rooms.map(fn));
  }
}

function patchRoomMessages(qc: QueryClient, roomId: number, fn: (list: ChatMessage[]) => ChatMessage[]) {
  qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => (d ? { ...d, messages: fn(d.messages) } : d));
  patchThreads(qc, roomId, fn);
}

/** Applies a change to every cached thread of a room (its root and replies alike). */
function patchThreads(qc: QueryClient, roomId: number, fn: (list: ChatMessage[]) => ChatMessage[]) {
  for (const [key, t] of qc.getQueriesData<ThreadMessages>({ queryKey: threadKeys.all() })) {
    if (!t || (t.root && t.root.room !== roomId) || (!t.root && t.replies[0]?.room !== roomId)) continue;
    const [root] = t.root ? fn([t.root]) : [null];
    qc.setQueryData<ThreadMessages>(key, { ...t, root: root ?? t.root, replies: fn(t.replies) });
  }
}

/** Whether a message belongs in its room's main timeline (thread replies only when also sent there). */
export function inTimeline(m: Pick<ChatMessage, 'thread_root_id' | 'also_send_to_room'>): boolean {
  return !m.thread_root_id || !!m.also_send_to_room;
}

/** Adds replies to their thread's cached panel, when it is cached. */
export function addThreadReplies(qc: QueryClient, rootId: number, incoming: ChatMessage[]) {
  qc.setQueryData<ThreadMessages>(threadKeys.thread(rootId), (t) => (t ? { ...t, replies: mergeMessages(t.replies, incoming) } : t));
}

export interface ThreadSummary {
  reply_count: number;
  last_reply_at: string | null;
  thread_participants: ChatMessage['user'][];
}

/** A root's new summary (thread_updated), wherever the root is cached. */
export function applyThreadSummary(qc: QueryClient, roomId: number, rootId: number, summary: ThreadSummary) {
  const fn = (list: ChatMessage[]) => updateMessage(list, rootId, (m) => ({ ...m, ...summary }));
  qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => (d ? { ...d, messages: fn(d.messages) } : d));
  qc.setQueryData<ThreadMessages>(threadKeys.thread(rootId), (t) => (t?.root ? { ...t, root: { ...t.root, ...summary } } : t));
}

/** The follow state of a thread, on its root wherever it is cached. */
export function setFollowing(qc: QueryClient, roomId: number, rootId: number, following: boolean) {
  patchRoomMessages(qc, roomId, (list) => updateMessage(list, rootId, (m) => ({ ...m, is_following: following })));
}

/** A participant's read mark moved (read_receipt): the room's participants carry it. */
export function applyReadMark(qc: QueryClient, roomId: number, userId: number, lastReadMessageId: number | null, readAt: string) {
  const fn = (r: ChatRoom): ChatRoom =>
    r.id === roomId
      ? {
          ...r,
          participants: r.participants.map((p) =>
            p.user.id === userId ? { ...p, last_read_at: readAt, last_read_message_id: lastReadMessageId ?? p.last_read_message_id } : p,
          ),
        }
      : r;
  patchRooms(qc, fn);
  qc.setQueryData<ChatRoom>(chatKeys.room(roomId), (r) => (r ? fn(r) : r));
}

/**
 * Merges live messages into a room's cached window, only when there is one: a window made of a
 * single live message would hide the room's history when it is opened.
 */
export function addLiveMessages(qc: QueryClient, roomId: number, incoming: ChatMessage[]) {
  if (qc.getQueryData(chatKeys.messages(roomId))) addMessages(qc, roomId, incoming);
}

export function addMessages(qc: QueryClient, roomId: number, incoming: ChatMessage[]) {
  qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => ({
    messages: mergeMessages(d?.messages ?? [], incoming),
    hasOlder: d?.hasOlder ?? false,
  }));
}

export function failPending(qc: QueryClient, roomId: number, clientId: string) {
  patchRoomMessages(qc, roomId, (list) => markFailed(list, clientId));
}

export function dropLocal(qc: QueryClient, roomId: number, clientId: string) {
  patchRoomMessages(qc, roomId, (list) => list.filter((m) => !(m.client_id === clientId && m.id <= 0)));
}

export function replaceMessage(qc: QueryClient, message: ChatMessage) {
  patchRoomMessages(qc, message.room, (list) => updateMessage(list, message.id, (old) => ({ ...message, reactions: message.reactions ?? old.reactions })));
}

export function dropMessage(qc: QueryClient, roomId: number, id: number) {
  patchRoomMessages(qc, roomId, (list) => removeMessage(list, id));
}

export function applyReaction(qc: QueryClient, roomId: number, messageId: number, reaction: MessageReaction) {
  patchRoomMessages(qc, roomId, (list) => updateMessage(list, messageId, (m) => ({ ...m, reactions: withReaction(m.reactions ?? [], reaction) })));
}

export function removeReactionLocal(qc: QueryClient, roomId: number, messageId: number, userId: number, emoji: string) {
  patchRoomMessages(qc, roomId, (list) => updateMessage(list, messageId, (m) => ({ ...m, reactions: withoutReaction(m.reactions ?? [], userId, emoji) })));
}

/**
 * A pin put up or taken down (by anyone, seen live): the message's marker in the room's window
 * and the room's pins list (newest pin first, as the server lists them).
 */
export function applyPin(qc: QueryClient, roomId: number, messageId: number, pin: { pinned: true; by: ChatMessage['user']; message?: ChatMessage } | { pinned: false }) {
  const fields = pin.pinned
    ? { is_pinned: true, pinned_by: pin.by, pinned_at: pin.message?.pinned_at ?? new Date().toISOString() }
    : { is_pinned: false, pinned_by: null, pinned_at: null };
  patchRoomMessages(qc, roomId, (list) => updateMessage(list, messageId, (m) => ({ ...m, ...fields })));
  qc.setQueryData<ChatMessage[]>(chatKeys.pins(roomId), (pins) => {
    if (!pins) return pins;
    const rest = pins.filter((m) => m.id !== messageId);
    if (!pin.pinned) return rest;
    const known = pin.message ?? pins.find((m) => m.id === messageId) ?? qc.getQueryData<RoomMessages>(chatKeys.messages(roomId))?.messages.find((m) => m.id === messageId);
    return known ? [{ ...known, ...fields }, ...rest] : pins;
  });
  // Pinned but not known here: the list is fetched again rather than left short.
  if (pin.pinned && !pin.message && qc.getQueryData<ChatMessage[]>(chatKeys.pins(roomId))?.every((m) => m.id !== messageId)) {
    void qc.invalidateQueries({ queryKey: chatKeys.pins(roomId) });
  }
}

/** Updates the room list's preview of the latest message and moves the room to the top. */
export function touchRoom(qc: QueryClient, projectId: number, message: ChatMessage) {
  qc.setQueryData<ChatRoom[]>(chatKeys.rooms(projectId), (rooms) => {
    if (!rooms) return rooms;
    const room = rooms.find((r) => r.id === message.room);
    if (!room) return rooms;
    if (room.last_message && room.last_message.id > message.id) return rooms;
    const updated = { ...room, last_message: message, updated_at: message.created_at };
    return [updated, ...rooms.filter((r) => r.id !== message.room)];
  });
}

/** Applies one room frame to the query cache. Returns the new message for message_new. */
export function applyFrame(qc: QueryClient, frame: ChatFrame): ChatMessage | null {
  const roomId = frame.room_id;
  const projectId = projectOfRoom(qc, roomId);
  switch (frame.type) {
    case 'message_new': {
      const message = { ...frame.message, client_id: frame.message.client_id ?? frame.client_id ?? null };
      if (message.thread_root_id) addThreadReplies(qc, message.thread_root_id, [message]);
      if (!inTimeline(message)) return message;
      addLiveMessages(qc, roomId, [message]);
      if (projectId) touchRoom(qc, projectId, message);
      return message;
    }
    case 'message_edited': {
      const m = frame.message;
      if (m.thread_root_id) addThreadReplies(qc, m.thread_root_id, [m]);
      else qc.setQueryData<ThreadMessages>(threadKeys.thread(m.id), (t) => (t ? { ...t, root: m } : t));
      if (inTimeline(m)) addLiveMessages(qc, roomId, [m]);
      return null;
    }
    case 'thread_updated':
      applyThreadSummary(qc, roomId, frame.root_id, { reply_count: frame.reply_count, last_reply_at: frame.last_reply_at, thread_participants: frame.thread_participants });
      void qc.invalidateQueries({ queryKey: threadKeys.lists() });
      return null;
    case 'read_receipt':
      applyReadMark(qc, roomId, frame.user_id, frame.last_read_message_id, frame.read_at);
      return null;
    case 'message_deleted':
      dropMessage(qc, roomId, frame.message_id);
      return null;
    case 'reaction_added':
      applyReaction(qc, roomId, frame.message_id, frame.reaction as MessageReaction);
      return null;
    case 'reaction_removed':
      removeReactionLocal(qc, roomId, frame.message_id, frame.user_id, frame.emoji);
      return null;
    case 'message_pinned':
      applyPin(qc, roomId, frame.message_id, { pinned: true, by: frame.pinned_by as ChatMessage['user'], message: frame.message });
      return null;
    case 'message_unpinned':
      applyPin(qc, roomId, frame.message_id, { pinned: false });
      return null;
    case 'room_read':
      patchRooms(qc, (r) =>
        r.id === roomId ? { ...r, participants: r.participants.map((p) => (p.user.id === frame.user_id ? { ...p, last_read_at: frame.last_read_at } : p)) } : r,
      );
      return null;
    default:
      // user_joined / user_left come with room_updated, which carries the new participant list.
      return null;
  }
}

/** Applies one of the person's own frames (their rooms and unread counts) to the room lists. */
export function applyUserFrame(qc: QueryClient, frame: ChatUserFrame): void {
  switch (frame.type) {
    case 'room_added': {
      const room = frame.room;
      qc.setQueryData<ChatRoom[]>(chatKeys.rooms(room.project), (rooms) => (rooms && !rooms.some((r) => r.id === room.id) ? [room, ...rooms] : rooms));
      return;
    }
    case 'room_updated': {
      const room = frame.room;
      // Keep this person's counts when the update leaves them out.
      patchRooms(qc, (r) => (r.id === room.id ? { ...r, ...room } : r));
      qc.setQueryData<ChatRoom>(chatKeys.room(room.id), (r) => (r ? { ...r, ...room } : r));
      return;
    }
    case 'room_removed':
      for (const [key, rooms] of roomLists(qc)) {
        if (rooms?.some((r) => r.id === frame.room_id)) qc.setQueryData<ChatRoom[]>(key, rooms.filter((r) => r.id !== frame.room_id));
      }
      qc.removeQueries({ queryKey: chatKeys.room(frame.room_id) });
      qc.removeQueries({ queryKey: chatKeys.messages(frame.room_id) });
      return;
    case 'unread_updated':
      patchRooms(qc, (r) =>
        r.id === frame.room_id
          ? {
              ...r,
              unread_count: frame.unread_count,
              mention_count: frame.mention_count ?? r.mention_count,
              unread_thread_count: frame.unread_thread_count ?? r.unread_thread_count,
            }
          : r,
      );
      return;
    default:
      return;
  }
}
