import type { ChatMessage } from '../types';

export type TimelineRow =
  | { kind: 'date'; key: string; label: string }
  | { kind: 'unread'; key: string }
  | { kind: 'message'; key: string; message: ChatMessage; compact: boolean };

export interface ReadMark {
  messageId: number | null;
  at: string | null;
}

const GROUP_GAP_MS = 5 * 60_000;

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

function dayKey(iso: string) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (d.toDateString() === now.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return (d.getFullYear() === now.getFullYear() ? dayFormat : dayYearFormat).format(d);
}

/** Whether a message is newer than the reader's read mark (their own messages never are). */
export function isUnread(m: ChatMessage, mark: ReadMark | null, myUserId: number | null): boolean {
  if (!mark || m.user.id === myUserId || m.id <= 0 || m.type === 'system') return false;
  if (mark.messageId != null) return m.id > mark.messageId;
  if (!mark.at) return true;
  return new Date(m.created_at).getTime() > new Date(mark.at).getTime();
}

/**
 * The rows the list shows: a date line where the day changes, a "New messages" line before the
 * first message newer than the read mark, and each message marked compact when it follows one
 * by the same person within five minutes with nothing in between.
 */
export function buildTimeline(messages: readonly ChatMessage[], mark: ReadMark | null, myUserId: number | null, now = new Date()): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let prev: ChatMessage | null = null;
  let unreadPlaced = false;
  for (const m of messages) {
    let breakGroup = false;
    const day = dayKey(m.created_at);
    if (!prev || dayKey(prev.created_at) !== day) {
      rows.push({ kind: 'date', key: `date-${day}`, label: dayLabel(m.created_at, now) });
      breakGroup = true;
    }
    if (!unreadPlaced && isUnread(m, mark, myUserId)) {
      rows.push({ kind: 'unread', key: 'unread' });
      unreadPlaced = true;
      breakGroup = true;
    }
    const compact =
      !breakGroup &&
      !!prev &&
      prev.user.id === m.user.id &&
      prev.type !== 'system' &&
      m.type !== 'system' &&
      new Date(m.created_at).getTime() - new Date(prev.created_at).getTime() < GROUP_GAP_MS;
    rows.push({ kind: 'message', key: m.id > 0 ? String(m.id) : `local-${m.client_id}`, message: m, compact });
    prev = m;
  }
  return rows;
}
