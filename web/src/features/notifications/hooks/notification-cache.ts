import type { QueryClient } from '@tanstack/react-query';
import { notificationKeys, type AppNotification } from '../api/notifications';

export type NotificationFrame = { type: 'notification_created'; notification: AppNotification } | { type: 'notifications_read'; ids: number[] };

/** Puts a new notification at the top of the cached list (once) and counts it. Returns whether it was new. */
export function addNotification(qc: QueryClient, n: AppNotification): boolean {
  const list = qc.getQueryData<AppNotification[]>(notificationKeys.list());
  if (list?.some((x) => x.id === n.id)) return false;
  if (list) qc.setQueryData<AppNotification[]>(notificationKeys.list(), [n, ...list]);
  if (!n.read_at) qc.setQueryData<number>(notificationKeys.unread(), (c) => (c === undefined ? c : c + 1));
  return true;
}

/** Marks notifications read in the cache; the count drops by those that were unread. */
export function markReadLocally(qc: QueryClient, ids: readonly number[], unreadCount?: number) {
  const set = new Set(ids);
  const list = qc.getQueryData<AppNotification[]>(notificationKeys.list());
  const now = new Date().toISOString();
  if (list) qc.setQueryData<AppNotification[]>(notificationKeys.list(), list.map((n) => (set.has(n.id) && !n.read_at ? { ...n, read_at: now } : n)));
  if (unreadCount !== undefined) qc.setQueryData<number>(notificationKeys.unread(), unreadCount);
  // The frame lists only ids that were unread until now, so each one counts once.
  else qc.setQueryData<number>(notificationKeys.unread(), (c) => (c === undefined ? c : Math.max(0, c - set.size)));
}

export function markAllReadLocally(qc: QueryClient) {
  const now = new Date().toISOString();
  qc.setQueryData<AppNotification[]>(notificationKeys.list(), (list) => list?.map((n) => (n.read_at ? n : { ...n, read_at: now })));
  qc.setQueryData<number>(notificationKeys.unread(), 0);
}

export function applyNotificationFrame(qc: QueryClient, frame: NotificationFrame): AppNotification | null {
  if (frame.type === 'notification_created') return addNotification(qc, frame.notification) ? frame.notification : null;
  markReadLocally(qc, frame.ids);
  return null;
}

/** One line for a notification: who did what. */
export function describeNotification(n: Pick<AppNotification, 'type' | 'actor'>): string {
  const who = n.actor ? n.actor.display_name || n.actor.username : 'Someone';
  switch (n.type) {
    case 'mention':
      return `${who} mentioned you`;
    case 'direct_message':
      return `${who} sent you a message`;
    case 'thread_reply':
      return `${who} replied in a thread you follow`;
    case 'ticket_assigned':
      return `${who} assigned you a ticket`;
    case 'ticket_status_changed':
      return `${who} changed a ticket's status`;
    case 'ticket_commented':
      return `${who} commented on a ticket`;
    case 'call_missed':
      return `You missed a call from ${who}`;
    default:
      return `${who}: something needs you`;
  }
}
