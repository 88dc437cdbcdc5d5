import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { TopicFrame } from '@/lib/realtime/frames';
import { useSocketListener, useTopics } from '@/lib/realtime/realtime-context';
import type { Paginated } from '@/types/api';
import { ticketKeys } from '../api/tickets';
import type { Comment, Ticket } from '../types';

type TicketFrame = TopicFrame<Ticket, Comment>;

const TICKET_FRAMES = new Set(['ticket_created', 'ticket_updated', 'ticket_deleted', 'comment_added', 'comment_edited', 'comment_deleted']);

/** Applies a project or ticket topic frame to the cached tickets. */
export function applyTicketFrame(qc: QueryClient, frame: TicketFrame): void {
  switch (frame.type) {
    case 'ticket_updated': {
      const t = frame.ticket;
      qc.setQueryData<Ticket>(ticketKeys.byKey(t.key), (old) => (old ? t : old));
      // Move it at once where it is shown (the board's columns follow the status)...
      for (const [key, data] of qc.getQueriesData<Paginated<Ticket>>({ queryKey: ticketKeys.lists() })) {
        if (data?.results.some((x) => x.id === t.id)) qc.setQueryData<Paginated<Ticket>>(key, { ...data, results: data.results.map((x) => (x.id === t.id ? t : x)) });
      }
      // ...then let the server say which filters and orderings it still belongs to.
      void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
      void qc.invalidateQueries({ queryKey: ticketKeys.history(t.id) });
      void qc.invalidateQueries({ queryKey: ticketKeys.watchers(t.id) });
      return;
    }
    case 'ticket_created':
      void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
      return;
    case 'ticket_deleted': {
      const t = frame.ticket;
      for (const [key, data] of qc.getQueriesData<Paginated<Ticket>>({ queryKey: ticketKeys.lists() })) {
        if (data?.results.some((x) => x.id === t.id))
          qc.setQueryData<Paginated<Ticket>>(key, { ...data, count: data.count - 1, results: data.results.filter((x) => x.id !== t.id) });
      }
      void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
      void qc.invalidateQueries({ queryKey: ticketKeys.byKey(t.key) });
      return;
    }
    case 'comment_added':
    case 'comment_edited':
    case 'comment_deleted':
      void qc.invalidateQueries({ queryKey: ticketKeys.comments(frame.ticket_id) });
      void qc.invalidateQueries({ queryKey: ticketKeys.history(frame.ticket_id) });
      return;
  }
}

/**
 * A topic's subscription was answered: what is on screen for it was fetched before the server
 * listened for us, so a change made between that fetch and now was never sent. Read it again.
 */
export function catchUpTopics(qc: QueryClient, topics: string[]): void {
  for (const topic of topics) {
    const [prefix, raw] = topic.split(':');
    const id = Number(raw);
    if (!Number.isInteger(id)) continue;
    if (prefix === 'project') void qc.invalidateQueries({ queryKey: ticketKeys.lists() });
    if (prefix === 'ticket') {
      for (const [key, data] of qc.getQueriesData<Ticket>({ queryKey: ['tickets', 'key'] })) {
        if (data?.id === id) void qc.invalidateQueries({ queryKey: key, exact: true });
      }
      for (const part of [ticketKeys.comments, ticketKeys.history, ticketKeys.watchers, ticketKeys.attachments]) void qc.invalidateQueries({ queryKey: part(id) });
    }
  }
}

/** App-wide: ticket frames of the subscribed topics go into the cache; a resync refetches what is on screen. */
export function useTicketsLive() {
  const qc = useQueryClient();
  useSocketListener({
    onFrame: (frame) => {
      if (TICKET_FRAMES.has(frame.type)) applyTicketFrame(qc, frame as TicketFrame);
      else if (frame.type === 'subscribed') catchUpTopics(qc, frame.topics);
    },
    onResync: (info) => {
      if (info.topics.some((t) => t.startsWith('project:') || t.startsWith('ticket:'))) void qc.invalidateQueries({ queryKey: ticketKeys.all });
    },
  });
}

/** Keeps these projects' tickets live while the component is on screen. */
export function useProjectTopics(projectIds: (number | null | undefined)[]) {
  useTopics(projectIds.map((id) => (id ? `project:${id}` : null)));
}

/** Keeps one ticket (and its comments) live while it is on screen. */
export function useTicketTopic(ticketId: number | null | undefined) {
  useTopics([ticketId ? `ticket:${ticketId}` : null]);
}
