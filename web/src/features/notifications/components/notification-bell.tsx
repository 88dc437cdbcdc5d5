import { lazy, Suspense, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { errorMessage } from '@/lib/api-client';
import { markNotificationsRead, useUnreadNotificationCount, type AppNotification } from '../api/notifications';
import { markAllReadLocally, markReadLocally } from '../hooks/notification-cache';
import { targetOf, useNotificationsLive } from '../hooks/use-notifications-live';

const NotificationPanel = lazy(() => import('./notification-panel'));

/** The bell in the app bar: the unread count (live), and the list in a panel. */
export function NotificationBell() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const count = useUnreadNotificationCount();

  const openNotification = async (n: AppNotification) => {
    setOpen(false);
    if (!n.read_at) {
      markReadLocally(qc, [n.id]);
      markNotificationsRead({ ids: [n.id] }).catch(() => undefined);
    }
    const to = await targetOf(n);
    if (to) navigate(to);
  };
  useNotificationsLive((n) => void openNotification(n));

  const markAll = async () => {
    try {
      await markNotificationsRead({ all: true });
      markAllReadLocally(qc);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  const unread = count.data ?? 0;
  return (
    <>
      {/* A plain count rather than Ant Design's Badge: the app bar is on every first load. */}
      <span className="sb-bell">
        <Button
          shape="circle"
          icon={<BellOutlined aria-hidden />}
          aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
          onClick={() => {
            setLoaded(true);
            setOpen(true);
          }}
          data-testid="notification-bell"
        />
        {unread > 0 && (
          <span className="sb-bell-count" aria-hidden>
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </span>
      {loaded && (
        <Suspense fallback={null}>
          <NotificationPanel open={open} unread={unread} onClose={() => setOpen(false)} onOpenNotification={(n) => void openNotification(n)} onMarkAll={() => void markAll()} />
        </Suspense>
      )}
    </>
  );
}
