// What chat asks of the ticket side of the API (tickets in chat): kept here rather than imported
// from the tickets feature, which chat must not depend on.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { TicketRefData } from '@/lib/ticket-refs/store';
import type { Paginated } from '@/types/api';

export const ticketLinkKeys = {
  ticket: (id: number) => ['chat', 'ticket', id] as const,
  feed: (roomId: number) => ['chat', 'ticket-feed', roomId] as const,
};

export interface CreatedTicket extends TicketRefData {
  project: number;
}

export interface CreateTicketFromMessageInput {
  title?: string;
  type?: string;
  priority?: string;
  assignee_id?: number | null;
  include_thread?: boolean;
}

export function createTicketFromMessage(messageId: number, input: CreateTicketFromMessageInput) {
  return api<CreatedTicket>(`/api/chat/messages/${messageId}/create_ticket/`, { method: 'POST', body: input });
}

/** Tickets of a project whose key, title or description match: for `#` suggestions. */
export async function searchTickets(projectId: number, search: string, pageSize = 8): Promise<TicketRefData[]> {
  const res = await api<Paginated<TicketRefData>>('/api/tickets/', { query: { project: projectId, search: search || undefined, ordering: '-updated_at', page_size: pageSize } });
  return res.results;
}

/** A ticket a system message names by id, for its link (shared by every message naming it). */
export function useTicketById(id: number | null) {
  return useQuery({
    queryKey: ticketLinkKeys.ticket(id ?? 0),
    queryFn: () => api<TicketRefData>(`/api/tickets/${id}/`),
    enabled: !!id,
    staleTime: 60_000,
    retry: false,
  });
}

export const FEED_EVENTS = ['created', 'status_changed', 'assigned', 'commented'] as const;
export type FeedEvent = (typeof FEED_EVENTS)[number];

export interface TicketFeed {
  project: number;
  events: FeedEvent[];
}

/**
 * The room's feed as the server last told this client: GET when the server has it; otherwise what
 * the last PUT answered (a missing feed reads as none).
 */
export function useTicketFeed(roomId: number) {
  return useQuery({
    queryKey: ticketLinkKeys.feed(roomId),
    queryFn: async () => {
      try {
        const feed = await api<TicketFeed | null>(`/api/chat/rooms/${roomId}/ticket_feed/`);
        return feed && Array.isArray(feed.events) ? feed : null;
      } catch {
        return null;
      }
    },
  });
}

export function useTicketFeedMutations(roomId: number) {
  const qc = useQueryClient();
  return {
    save: useMutation({
      mutationFn: (feed: TicketFeed) => api<TicketFeed | null>(`/api/chat/rooms/${roomId}/ticket_feed/`, { method: 'PUT', body: feed }),
      onSuccess: (saved, sent) => qc.setQueryData(ticketLinkKeys.feed(roomId), saved && Array.isArray(saved.events) ? saved : sent),
    }),
    stop: useMutation({
      mutationFn: () => api<void>(`/api/chat/rooms/${roomId}/ticket_feed/`, { method: 'DELETE' }),
      onSuccess: () => qc.setQueryData(ticketLinkKeys.feed(roomId), null),
    }),
  };
}
