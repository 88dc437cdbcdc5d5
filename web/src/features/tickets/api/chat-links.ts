// The chat side of a ticket: its discussion thread, where it was made from, where chat mentions it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated, User } from '@/types/api';
import type { Ticket } from '../types';
import { ticketKeys } from './tickets';

export const chatLinkKeys = {
  mentions: (ticketId: number) => ['tickets', 'mentions', ticketId] as const,
  rooms: (projectId: number) => ['tickets', 'rooms', projectId] as const,
  room: (roomId: number) => ['tickets', 'room', roomId] as const,
};

/** A chat message as the ticket page shows it (a mention, or a discussion's root). */
export interface ChatMention {
  id: number;
  room: number;
  user: User;
  content: string;
  type: string;
  created_at: string;
  thread_root_id?: number | null;
}

export interface RoomSummary {
  id: number;
  display_name: string;
  type: 'direct' | 'group';
  project: number;
}

export const MENTIONS_PAGE = 20;

export function useTicketMentions(ticketId: number) {
  return useQuery({
    queryKey: chatLinkKeys.mentions(ticketId),
    queryFn: () => api<Paginated<ChatMention>>(`/api/tickets/${ticketId}/mentions/`, { query: { page_size: MENTIONS_PAGE } }),
  });
}

/** The caller's rooms in the ticket's project: where a discussion can start, and their names. */
export function useProjectRooms(projectId: number) {
  return useQuery({
    queryKey: chatLinkKeys.rooms(projectId),
    queryFn: async () => {
      const res = await api<Paginated<RoomSummary> | RoomSummary[]>('/api/chat/rooms/', { query: { project: projectId, page_size: 200 } });
      return Array.isArray(res) ? res : res.results;
    },
  });
}

/** One room by id, for a discussion in a room not in the list; null when the caller can't see it. */
export function useRoomName(roomId: number | null, enabled: boolean) {
  return useQuery({
    queryKey: chatLinkKeys.room(roomId ?? 0),
    queryFn: () => api<RoomSummary>(`/api/chat/rooms/${roomId}/`).catch(() => null),
    enabled: !!roomId && enabled,
    retry: false,
  });
}

export function useStartDiscussion(ticket: Pick<Ticket, 'id' | 'key'>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (room: number) => api<unknown>(`/api/tickets/${ticket.id}/discussion/`, { method: 'POST', body: { room } }),
    onSuccess: (answer) => {
      // The answer may be the ticket itself; either way the page reads the ticket again.
      if (answer && typeof answer === 'object' && 'key' in answer && 'discussion' in answer) qc.setQueryData(ticketKeys.byKey(ticket.key), answer as Ticket);
      void qc.invalidateQueries({ queryKey: ticketKeys.byKey(ticket.key) });
    },
  });
}

/** Where a chat link goes: the room, at a message, or with a thread open beside it. */
export function chatHref(projectId: number, roomId: number, opts: { message?: number; thread?: number } = {}): string {
  const q = opts.thread ? `?thread=${opts.thread}` : opts.message ? `?m=${opts.message}` : '';
  return `/chat/${projectId}/${roomId}${q}`;
}

/** A message as one line of plain text for a list: Markdown marks dropped, cut at `max`. */
export function excerpt(content: string, max = 140): string {
  const plain = content
    .replace(/```[\s\S]*?(```|$)/g, ' [code] ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/(^|\n)\s*(#{1,6}|>)\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > max ? `${plain.slice(0, max - 1).trimEnd()}…` : plain;
}
