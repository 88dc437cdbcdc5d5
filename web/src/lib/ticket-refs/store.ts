// Live state of the tickets that chat shows as chips. A message carries its tickets as they were
// when it was read; from then on the ticket:<id> topic frames are newer, so what a frame says wins
// over what a message said, for every message showing that ticket.

export interface TicketPerson {
  id: number;
  username: string;
  display_name: string;
  avatar_url?: string | null;
}

/** A ticket as a chip shows it: the `tickets` entries of a message, or a full Ticket. */
export interface TicketRefData {
  id: number;
  key: string;
  title: string;
  status: string;
  priority?: string;
  assignee?: TicketPerson | null;
  /** Set when a frame said the ticket was deleted: the chip turns back into text. */
  deleted?: boolean;
}

type TicketFrameLike =
  | { type: 'ticket_created' | 'ticket_updated' | 'ticket_deleted'; ticket: TicketRefData }
  | { type: string; ticket?: unknown };

export class TicketRefStore {
  private live = new Map<number, TicketRefData>();
  private listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(id: number): TicketRefData | undefined {
    return this.live.get(id);
  }

  /** The ticket as it should be shown: the newest frame about it, else what the message said. */
  resolve(base: TicketRefData): TicketRefData {
    const live = this.live.get(base.id);
    return live ? { ...base, ...live } : base;
  }

  set(ticket: TicketRefData): void {
    const prev = this.live.get(ticket.id);
    const next = pick(ticket);
    if (prev && same(prev, next)) return;
    this.live.set(ticket.id, next);
    this.emit();
  }

  /** Applies a topic frame; returns whether it was about a ticket. */
  applyFrame(frame: TicketFrameLike): boolean {
    if (frame.type !== 'ticket_updated' && frame.type !== 'ticket_deleted' && frame.type !== 'ticket_created') return false;
    const t = frame.ticket as TicketRefData | undefined;
    if (!t || typeof t.id !== 'number') return false;
    if (frame.type === 'ticket_deleted') {
      this.live.set(t.id, { ...pick(t), deleted: true });
      this.emit();
    } else if (frame.type === 'ticket_updated' || this.live.has(t.id)) this.set(t);
    return true;
  }

  clear(): void {
    if (this.live.size === 0) return;
    this.live.clear();
    this.emit();
  }

  private emit() {
    for (const l of this.listeners) l();
  }
}

// Keep only what a chip shows: a full Ticket carries its description, which may be long.
function pick(t: TicketRefData): TicketRefData {
  return { id: t.id, key: t.key, title: t.title, status: t.status, priority: t.priority, assignee: t.assignee ? { id: t.assignee.id, username: t.assignee.username, display_name: t.assignee.display_name, avatar_url: t.assignee.avatar_url ?? null } : null };
}

function same(a: TicketRefData, b: TicketRefData): boolean {
  return a.key === b.key && a.title === b.title && a.status === b.status && a.priority === b.priority && (a.assignee?.id ?? null) === (b.assignee?.id ?? null) && !a.deleted && (a.assignee?.avatar_url ?? null) === (b.assignee?.avatar_url ?? null);
}

export const STATUS_LABELS: Record<string, string> = { open: 'Open', in_progress: 'In progress', resolved: 'Resolved', closed: 'Closed' };
export const PRIORITY_LABELS: Record<string, string> = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'Urgent' };

export function statusLabel(s: string): string {
  return STATUS_LABELS[s] ?? s;
}
