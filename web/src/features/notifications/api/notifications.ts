import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated, User } from '@/types/api';

export type NotificationType = 'mention' | 'direct_message' | 'thread_reply' | 'ticket_assigned' | 'ticket_status_changed' | 'ticket_commented' | 'call_missed';

export interface AppNotification {
  id: number;
  type: NotificationType | string;
  actor: User | null;
  project: number | null;
  room: number | null;
  message: number | null;
  ticket: number | null;
  excerpt: string;
  created_at: string;
  read_at: string | null;
}

export const notificationKeys = {
  all: () => ['notifications'] as const,
  list: () => ['notifications', 'list'] as const,
  unread: () => ['notifications', 'unread'] as const,
};

export const LIST_SIZE = 50;

/** The newest notifications (kept current by the user socket). */
export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list(),
    queryFn: async () => {
      const res = await api<Paginated<AppNotification> | AppNotification[]>('/api/notifications/', { query: { page_size: LIST_SIZE } });
      return Array.isArray(res) ? res : res.results;
    },
    enabled,
    staleTime: Infinity,
  });
}

export function useUnreadNotificationCount() {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: async () => (await api<{ unread_count: number }>('/api/notifications/unread_count/')).unread_count,
    staleTime: Infinity,
  });
}

export function markNotificationsRead(body: { ids: number[] } | { all: true }) {
  return api<{ ids: number[]; unread_count: number }>('/api/notifications/mark_read/', { method: 'POST', body });
}
