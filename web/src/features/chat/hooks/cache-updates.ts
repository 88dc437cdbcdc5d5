import type { QueryClient } from '@tanstack/react-query';
import type { ServerFrame } from '@/lib/realtime/frames';
import { chatKeys } from '../api/chat';
import type { ChatMessage, ChatRoom, MessageReaction, RoomMessages } from '../types';
import { markFailed, mergeMessages, removeMessage, updateMessage } from './message-merge';
import { withReaction, withoutReaction } from './reactions';

export type ChatFrame = ServerFrame<ChatMessage, ChatMessage['user']>;

function patchRoomMessages(qc: QueryClient, roomId: number, fn: (list: ChatMessage[]) => ChatMessage[]) {
  qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => (d ? { ...d, messages: fn(d.messages) } : d));
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

/** Applies one socket frame to the query cache. Returns the new message for message_new. */
export function applyFrame(qc: QueryClient, roomId: number, projectId: number, frame: ChatFrame): ChatMessage | null {
  switch (frame.type) {
    case 'message_new': {
      const message = { ...frame.message, client_id: frame.message.client_id ?? frame.client_id ?? null };
      addMessages(qc, roomId, [message]);
      touchRoom(qc, projectId, message);
      return message;
    }
    case 'message_edited':
      addMessages(qc, roomId, [frame.message]);
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
    case 'user_joined':
    case 'user_left':
    case 'room_deleted':
      void qc.invalidateQueries({ queryKey: chatKeys.rooms(projectId) });
      return null;
    case 'room_read':
      qc.setQueryData<ChatRoom[]>(chatKeys.rooms(projectId), (rooms) =>
        rooms?.map((r) =>
          r.id === roomId
            ? { ...r, participants: r.participants.map((p) => (p.user.id === frame.user_id ? { ...p, last_read_at: frame.last_read_at } : p)) }
            : r,
        ),
      );
      return null;
    default:
      return null;
  }
}
