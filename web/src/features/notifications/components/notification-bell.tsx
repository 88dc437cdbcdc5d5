import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Drawer, Empty, Space, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { UserAvatar } from '@/components/user-avatar';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { markNotificationsRead, useNotifications, useUnreadNotificationCount, type AppNotification } from '../api/notifications';
import { describeNotification, markAllReadLocally, markReadLocally } from '../hooks/notification-cache';
import { browserNotificationsSupported, targetOf, useNotificationsLive } from '../hooks/use-notifications-live';

/** The bell in the app bar: the unread count, and a panel with the list (live). */
export function NotificationBell() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const count = useUnreadNotificationCount();
  const list = useNotifications(open);
  const [permission, setPermission] = useState(() => (browserNotificationsSupported() ? Notification.permission : 'unsupported'));

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

  const askPermission = async () => {
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      /* an old browser without the promise form */
    }
  };

  const unread = count.data ?? 0;
  return (
    <>
      <Badge count={unread} overflowCount={99} size="small" offset={[-4, 4]}>
        <Button
          shape="circle"
          icon={<BellOutlined />}
          aria-label={unread ? `Notifications, ${unread} unread` : 'Notifications'}
          onClick={() => setOpen(true)}
          data-testid="notification-bell"
        />
      </Badge>
      <Drawer
        title="Notifications"
        open={open}
        onClose={() => setOpen(false)}
        size={400}
        closable={{ 'aria-label': 'Close notifications' }}
        extra={
          <Button size="small" onClick={() => void markAll()} disabled={unread === 0}>
            Mark all read
          </Button>
        }
      >
        {permission === 'default' && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title="Get a desktop notification when this tab is in the background."
            action={
              <Button size="small" onClick={() => void askPermission()}>
                Turn on
              </Button>
            }
          />
        )}
        {permission === 'denied' && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            Desktop notifications are blocked in this browser's site settings.
          </Typography.Paragraph>
        )}
        {list.isLoading && <Spin aria-label="Loading notifications" />}
        {list.isError && <Alert type="error" title={errorMessage(list.error)} />}
        {list.data && list.data.length === 0 && <Empty description="Nothing needs you right now." />}
        <ul className="sb-notif-list" aria-label="Notifications list">
          {list.data?.map((n) => (
            <li key={n.id}>
              <button type="button" className={`sb-notif-item${n.read_at ? '' : ' sb-notif-unread'}`} onClick={() => void openNotification(n)} data-notification-id={n.id}>
                {n.actor ? <UserAvatar user={n.actor} size={28} /> : <BellOutlined aria-hidden />}
                <span className="sb-notif-text">
                  <Space size={6}>
                    <strong>{describeNotification(n)}</strong>
                    {!n.read_at && <span className="sb-visually-hidden">(unread)</span>}
                  </Space>
                  {n.excerpt && <span className="sb-notif-excerpt">{n.excerpt}</span>}
                  <time className="sb-notif-time" dateTime={n.created_at}>
                    {formatDateTime(n.created_at)}
                  </time>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </Drawer>
    </>
  );
}
