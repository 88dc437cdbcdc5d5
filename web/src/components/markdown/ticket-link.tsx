import { createContext, useContext, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { TicketChip } from '@/components/ticket-chip';
import type { TicketRef } from './mentions';

/** The tickets of the message being rendered, by key, for the chips inside it. */
export const TicketRefsContext = createContext<ReadonlyMap<string, TicketRef> | undefined>(undefined);

/**
 * Where the Markdown renderer met a `KEY-123` the message references: a live chip when the
 * server told us which ticket it is, else a plain link to it.
 */
export function TicketLink({ ticketKey, className, title, children }: { ticketKey: string; className?: string; title?: string; children: ReactNode }) {
  const ticket = useContext(TicketRefsContext)?.get(ticketKey);
  if (ticket?.id !== undefined) return <TicketChip ticket={{ ...ticket, id: ticket.id, status: ticket.status ?? 'open' }}>{children}</TicketChip>;
  return (
    <Link to={`/tickets/${ticketKey}`} className={className} title={title}>
      {children}
    </Link>
  );
}
