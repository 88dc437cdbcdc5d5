import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { CheckCircleOutlined, CommentOutlined, InfoCircleOutlined, MessageOutlined, PhoneOutlined, PlusCircleOutlined, UserSwitchOutlined } from '@ant-design/icons';
import { TicketChip } from '@/components/ticket-chip';
import { formatDateTime, formatTime } from '@/lib/format';
import { useTicketById } from '../api/ticket-links';
import type { ChatMessage, MessageTicket, SystemEvent } from '../types';

/** An icon per kind of event; unknown kinds (a newer server) get a neutral one. */
export function systemIcon(kind: string | undefined): ReactNode {
  const k = kind ?? '';
  if (k.includes('call')) return <PhoneOutlined />;
  if (k.includes('discussion')) return <MessageOutlined />;
  if (k.includes('comment')) return <CommentOutlined />;
  if (k.includes('assign')) return <UserSwitchOutlined />;
  if (k.includes('status') || k.includes('resolved') || k.includes('closed')) return <CheckCircleOutlined />;
  if (k.includes('created')) return <PlusCircleOutlined />;
  return <InfoCircleOutlined />;
}

export function eventTicketId(event: SystemEvent | null | undefined): number | null {
  const id = event?.ticket_id;
  return typeof id === 'number' && id > 0 ? id : null;
}

/** The text with the ticket's key (as a whole word) shown as its live chip; else the chip after it. */
export function withChip(content: string, ref: MessageTicket): ReactNode[] {
  const escaped = ref.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(^|[^A-Za-z0-9_-])${escaped}(?![A-Za-z0-9_])`).exec(content);
  if (!m) return [content, ' ', <TicketChip key="chip" ticket={ref} />];
  const at = m.index + m[1].length;
  return [content.slice(0, at), <TicketChip key="chip" ticket={ref} />, content.slice(at + ref.key.length)];
}

/**
 * A system message that roots a thread (a ticket's discussion) opens it by the address the chat
 * page reads (`?thread=`), so this works whichever panel shows threads.
 */
function threadLink(m: ChatMessage): ReactNode {
  const replies = (m as ChatMessage & { reply_count?: number }).reply_count ?? 0;
  const rootsDiscussion = m.event?.kind === 'ticket_discussion';
  if (m.id <= 0 || (!rootsDiscussion && replies === 0)) return null;
  return (
    <Link to={{ search: `?thread=${m.id}` }} className="sb-system-thread-link">
      {replies === 0 ? 'Open the discussion' : replies === 1 ? '1 reply' : `${replies} replies`}
    </Link>
  );
}

/**
 * A `system` message: what happened, centered and muted, with a link to the ticket its event
 * names (live, as a chip, when the message references it). No toolbar: nobody edits these.
 */
export function SystemMessage({ message: m }: { message: ChatMessage }) {
  const ticketId = eventTicketId(m.event);
  const ref = ticketId ? m.tickets?.find((t) => t.id === ticketId) : undefined;
  // The event names the ticket by id only; fetch its key when the message carries no chip for it.
  const fetched = useTicketById(ticketId && !ref ? ticketId : null);
  const ticket = ref ?? fetched.data;
  const when = formatDateTime(m.created_at);
  return (
    <div className="sb-msg-system-row" id={m.id > 0 ? `msg-${m.id}` : undefined} data-message-id={m.id} data-event-kind={m.event?.kind}>
      <div role="note" aria-label={`Event, ${when}`} className="sb-system-line" data-testid="system-message">
        <span aria-hidden>{systemIcon(m.event?.kind)}</span>
        {ref ? (
          <span className="sb-system-text sb-prewrap">{withChip(m.content, ref)}</span>
        ) : (
          <span className="sb-system-text sb-prewrap">{m.content}</span>
        )}
        {ticket && !ref && <Link to={`/tickets/${encodeURIComponent(ticket.key)}`}>Open {ticket.key}</Link>}
        {threadLink(m)}
        <time dateTime={m.created_at} title={when}>
          {formatTime(m.created_at)}
        </time>
      </div>
    </div>
  );
}
