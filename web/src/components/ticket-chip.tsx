import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Popover } from 'antd';
import { UserAvatar } from '@/components/user-avatar';
import { useLiveTicket } from '@/lib/ticket-refs/live';
import { PRIORITY_LABELS, statusLabel, type TicketRefData } from '@/lib/ticket-refs/store';

/** What the hover card says about a ticket. */
export function TicketCard({ ticket }: { ticket: TicketRefData }) {
  const who = ticket.assignee ? ticket.assignee.display_name || ticket.assignee.username : 'Unassigned';
  return (
    <div className="sb-ticket-card" data-testid="ticket-card">
      <div className="sb-ticket-card-title">
        <strong>{ticket.key}</strong> {ticket.title}
      </div>
      <dl>
        <dt>Status</dt>
        <dd>
          <span className={`sb-ticket-dot sb-ticket-status-${ticket.status}`} aria-hidden /> {statusLabel(ticket.status)}
        </dd>
        {ticket.priority && (
          <>
            <dt>Priority</dt>
            <dd>{PRIORITY_LABELS[ticket.priority] ?? ticket.priority}</dd>
          </>
        )}
        <dt>Assignee</dt>
        <dd>
          {ticket.assignee && <UserAvatar user={ticket.assignee} size={16} />} {who}
        </dd>
      </dl>
    </div>
  );
}

/**
 * A `KEY-123` reference in a message: key, title, a status colour and the assignee's face,
 * following the ticket live (its topic is subscribed while the chip is on screen). The status is
 * also in the accessible name, so the colour is never the only sign of it.
 */
export function TicketChip({ ticket: base, children }: { ticket: TicketRefData; children?: ReactNode }) {
  const ticket = useLiveTicket(base);
  if (ticket.deleted) return <>{children ?? ticket.key}</>;
  return (
    <Popover content={<TicketCard ticket={ticket} />} trigger={['hover', 'focus']} mouseEnterDelay={0.3} destroyOnHidden>
      <Link
        to={`/tickets/${encodeURIComponent(ticket.key)}`}
        className={`sb-ticket-chip sb-ticket-status-${ticket.status}`}
        data-ticket-id={ticket.id}
        data-status={ticket.status}
      >
        <span className={`sb-ticket-dot sb-ticket-status-${ticket.status}`} aria-hidden />
        <span className="sb-ticket-chip-key">{ticket.key}</span>
        <span className="sb-ticket-chip-title">{ticket.title}</span>
        <span className="sb-visually-hidden">, {statusLabel(ticket.status)}</span>
        {ticket.assignee && <UserAvatar user={ticket.assignee} size={14} />}
      </Link>
    </Popover>
  );
}
