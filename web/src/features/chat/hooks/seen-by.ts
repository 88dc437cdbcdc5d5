import type { User } from '@/types/api';
import type { ChatMessage, ChatParticipant } from '../types';

/**
 * Who has read a message, from the participants' read marks (people who do not share receipts
 * have no mark to others): everyone but its author whose mark is at or after it.
 */
export function readersOf(participants: readonly ChatParticipant[], message: Pick<ChatMessage, 'id' | 'user'>): User[] {
  if (message.id <= 0) return [];
  return participants
    .filter((p) => p.user.id !== message.user.id && p.last_read_message_id != null && p.last_read_message_id >= message.id)
    .sort((a, b) => Date.parse(a.last_read_at ?? '') - Date.parse(b.last_read_at ?? ''))
    .map((p) => p.user);
}

/** The caller's newest confirmed message: "Seen by" is shown under it. */
export function lastOwnMessageId(messages: readonly ChatMessage[], myUserId: number | null): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m.id > 0 && m.user.id === myUserId && m.type !== 'system') return m.id;
  }
  return null;
}

/** Names up to this many readers; beyond it (a big room) a count, with the names on hover. */
export const SEEN_NAMES_MAX = 3;

export function seenByLabel(readers: readonly Pick<User, 'display_name' | 'username'>[], othersInRoom: number): string {
  if (readers.length === 0) return '';
  if (othersInRoom > 0 && readers.length >= othersInRoom && othersInRoom > 1) return 'Seen by everyone';
  if (readers.length > SEEN_NAMES_MAX) return `Seen by ${readers.length}`;
  return `Seen by ${readers.map((u) => u.display_name || u.username).join(', ')}`;
}
