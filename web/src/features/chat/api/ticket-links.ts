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

/** The server answers `{room, project: null, events: []}` for a room without a feed. */
function asFeed(answer: Partial<TicketFeed> | null | undefined): TicketFeed | null {
  return answer && answer.project && Array.isArray(answer.events) && answer.events.length > 0 ? { project: answer.project, events: answer.events } : null;
}

/** The project and events a room follows, or null when it follows none. */
export function useTicketFeed(roomId: number, enabled = true) {
  return useQuery({
    queryKey: ticketLinkKeys.feed(roomId),
    queryFn: async () => asFeed(await api<Partial<TicketFeed> | null>(`/api/chat/rooms/${roomId}/ticket_feed/`)),
    enabled,
  });
}

export function useTicketFeedMutations(roomId: number) {
  const qc = useQueryClient();
  return {
    save: useMutation({
      mutationFn: (feed: TicketFeed) => api<Partial<TicketFeed> | null>(`/api/chat/rooms/${roomId}/ticket_feed/`, { method: 'PUT', body: feed }),
      onSuccess: (saved) => qc.setQueryData(ticketLinkKeys.feed(roomId), asFeed(saved)),
    }),
    stop: useMutation({
      mutationFn: () => api<void>(`/api/chat/rooms/${roomId}/ticket_feed/`, { method: 'DELETE' }),
      onSuccess: () => qc.setQueryData(ticketLinkKeys.feed(roomId), null),
    }),
  };
}
