import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { api } from '@/lib/api-client';
import { useSocketListener } from '@/lib/realtime/realtime-context';
import { notificationKeys, type AppNotification } from '../api/notifications';
import { applyNotificationFrame, describeNotification, type NotificationFrame } from './notification-cache';

/** Where a notification leads: the message in its room (or its thread), or the ticket. */
export async function targetOf(n: AppNotification): Promise<string | null> {
  if (n.room && n.message) {
    const base = `/chat/${n.project ?? 0}/${n.room}`;
    try {
      const m = await api<{ thread_root_id?: number | null; also_send_to_room?: boolean; room: number }>(`/api/chat/messages/${n.message}/`);
      if (m.thread_root_id) return `${base}?thread=${m.thread_root_id}`;
    } catch {
      return base;
    }
    return `${base}?m=${n.message}`;
  }
  if (n.room) return `/chat/${n.project ?? 0}/${n.room}`;
  if (n.ticket) {
    try {
      const t = await api<{ key: string }>(`/api/tickets/${n.ticket}/`);
      return `/tickets/${t.key}`;
    } catch {
      return null;
    }
  }
  return null;
}

export function browserNotificationsSupported(): boolean {
  return typeof window !== 'undefined' && 'Notification' in window;
}

/** Whether a desktop notification should be shown now: allowed by the person, and the tab is not in front. */
export function shouldNotifyDesktop(permission: string, visible: boolean, focused: boolean): boolean {
  return permission === 'granted' && (!visible || !focused);
}

/**
 * Keeps the bell's count and list current from notification_created / notifications_read, and
 * shows a desktop notification for a new one while the tab is in the background (only once the
 * person has allowed them: the permission is asked for from a button, never on load).
 */
export function useNotificationsLive(onOpen: (n: AppNotification) => void) {
  const qc = useQueryClient();
  const openRef = useRef(onOpen);
  openRef.current = onOpen;
  useSocketListener({
    onFrame: (frame) => {
      if (frame.type !== 'notification_created' && frame.type !== 'notifications_read') return;
      const created = applyNotificationFrame(qc, frame as NotificationFrame);
      if (!created || created.read_at || !browserNotificationsSupported()) return;
      if (!shouldNotifyDesktop(Notification.permission, document.visibilityState === 'visible', document.hasFocus())) return;
      try {
        const desktop = new Notification(describeNotification(created), { body: created.excerpt, tag: `switchboard-${created.id}` });
        desktop.onclick = () => {
          window.focus();
          openRef.current(created);
          desktop.close();
        };
      } catch {
        /* some browsers only allow notifications from a service worker */
      }
    },
    onResync: () => void qc.invalidateQueries({ queryKey: notificationKeys.all() }),
  });
}
