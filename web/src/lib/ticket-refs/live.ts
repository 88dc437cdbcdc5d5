import { useSyncExternalStore } from 'react';
import { api } from '@/lib/api-client';
import { useSocketListener, useTopics } from '@/lib/realtime/realtime-context';
import { TicketRefStore, type TicketRefData } from './store';

export const ticketRefs = new TicketRefStore();

// After a gap in the socket, a chip could show a change it missed: ask for the tickets on screen
// again (a few at a time; a chip that is no longer subscribed is not worth a request).
const RESYNC_LIMIT = 50;

/** App-wide, mounted once: ticket frames of the subscribed topics keep every chip current. */
export function useTicketRefsLive(): void {
  useSocketListener({
    onFrame: (frame) => {
      ticketRefs.applyFrame(frame as Parameters<TicketRefStore['applyFrame']>[0]);
    },
    onResync: (info) => {
      const ids = info.topics.filter((t) => t.startsWith('ticket:')).map((t) => Number(t.slice('ticket:'.length)));
      for (const id of ids.slice(0, RESYNC_LIMIT)) {
        api<TicketRefData>(`/api/tickets/${id}/`)
          .then((t) => ticketRefs.set(t))
          .catch(() => undefined);
      }
    },
  });
}

/** One ticket chip on screen: subscribes to its topic and follows its changes. */
export function useLiveTicket(base: TicketRefData): TicketRefData {
  useTopics([`ticket:${base.id}`]);
  const live = useSyncExternalStore(ticketRefs.subscribe, () => ticketRefs.get(base.id));
  return live ? { ...base, ...live } : base;
}
