import { useMemo } from 'react';
import type { MentionTarget, TicketRef } from '@/components/markdown/markdown';
import type { ChatMessage, ChatRoom } from '../types';

export type MentionLookup = (lowerName: string) => MentionTarget | null;
export type RoomPeople = ReadonlyMap<string, MentionTarget & { id: number }>;

/** Who `@name` can mean in this room: its participants, by lower-cased username. */
export function useRoomPeople(room: ChatRoom, myUserId: number | null) {
  return useMemo(() => {
    const byName = new Map<string, MentionTarget & { id: number }>();
    for (const p of room.participants) {
      byName.set(p.user.username.toLowerCase(), { kind: 'user', id: p.user.id, name: p.user.username, title: p.user.display_name || p.user.username, isMe: p.user.id === myUserId });
    }
    return byName as RoomPeople;
  }, [room.participants, myUserId]);
}

/**
 * The lookup for one message. When the server says whom it mentions, only those become chips
 * (its rules are the real ones: a participant who joined later was not mentioned).
 */
export function mentionLookupFor(people: RoomPeople, message: Pick<ChatMessage, 'mentions'>): MentionLookup {
  const ids = message.mentions ? new Set(message.mentions.user_ids) : null;
  return (name) => {
    const p = people.get(name);
    return p && (!ids || ids.has(p.id)) ? p : null;
  };
}

export function ticketMapFor(message: Pick<ChatMessage, 'tickets'>): ReadonlyMap<string, TicketRef> | undefined {
  if (!message.tickets?.length) return undefined;
  return new Map(message.tickets.map((t) => [t.key, { id: t.id, key: t.key, title: t.title, status: t.status, priority: t.priority, assignee: t.assignee ?? null }]));
}
