import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { notificationKeys, type AppNotification } from '../api/notifications';
import { applyNotificationFrame, describeNotification, markAllReadLocally } from './notification-cache';
import { shouldNotifyDesktop } from './use-notifications-live';

const n = (id: number, read_at: string | null = null): AppNotification => ({
  id,
  type: 'mention',
  actor: { id: 2, username: 'ana', email: '', first_name: '', last_name: '', display_name: 'Ana' },
  project: 1,
  room: 3,
  message: 10 + id,
  ticket: null,
  excerpt: `@bo look ${id}`,
  created_at: '2026-11-30T10:00:00Z',
  read_at,
});

function setup(list: AppNotification[] | undefined, unread: number | undefined) {
  const qc = new QueryClient();
  if (list) qc.setQueryData(notificationKeys.list(), list);
  if (unread !== undefined) qc.setQueryData(notificationKeys.unread(), unread);
  return { qc, list: () => qc.getQueryData<AppNotification[]>(notificationKeys.list()), unread: () => qc.getQueryData<number>(notificationKeys.unread()) };
}

describe('notification frames in the cache', () => {
  it('puts a new notification on top and counts it once, even if the frame comes twice', () => {
    const c = setup([n(1, '2026-11-30T09:00:00Z')], 0);
    expect(applyNotificationFrame(c.qc, { type: 'notification_created', notification: n(2) })?.id).toBe(2);
    expect(applyNotificationFrame(c.qc, { type: 'notification_created', notification: n(2) })).toBeNull();
    expect(c.list()!.map((x) => x.id)).toEqual([2, 1]);
    expect(c.unread()).toBe(1);
  });

  it('counts a new one while the list has never been opened', () => {
    const c = setup(undefined, 4);
    applyNotificationFrame(c.qc, { type: 'notification_created', notification: n(5) });
    expect(c.list()).toBeUndefined();
    expect(c.unread()).toBe(5);
  });

  it('marks read what notifications_read names, and the count drops by as many', () => {
    const c = setup([n(3), n(2), n(1)], 3);
    applyNotificationFrame(c.qc, { type: 'notifications_read', ids: [3, 1] });
    expect(c.list()!.map((x) => !!x.read_at)).toEqual([true, false, true]);
    expect(c.unread()).toBe(1);
    applyNotificationFrame(c.qc, { type: 'notifications_read', ids: [2, 99] });
    expect(c.unread()).toBe(0);
  });

  it('marks everything read at once', () => {
    const c = setup([n(2), n(1)], 2);
    markAllReadLocally(c.qc);
    expect(c.list()!.every((x) => x.read_at)).toBe(true);
    expect(c.unread()).toBe(0);
  });
});

describe('wording and desktop notifications', () => {
  it('says who did what', () => {
    expect(describeNotification(n(1))).toBe('Ana mentioned you');
    expect(describeNotification({ type: 'thread_reply', actor: null })).toBe('Someone replied in a thread you follow');
  });

  it('notifies on the desktop only with permission and only when the tab is not in front', () => {
    expect(shouldNotifyDesktop('granted', false, false)).toBe(true);
    expect(shouldNotifyDesktop('granted', true, false)).toBe(true);
    expect(shouldNotifyDesktop('granted', true, true)).toBe(false);
    expect(shouldNotifyDesktop('default', false, false)).toBe(false);
    expect(shouldNotifyDesktop('denied', false, false)).toBe(false);
  });
});
