import { useState } from 'react';
import { Alert, Button, Drawer, Empty, Space, Spin, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { UserAvatar } from '@/components/user-avatar';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useNotifications, type AppNotification } from '../api/notifications';
import { describeNotification } from '../hooks/notification-cache';
import { browserNotificationsSupported } from '../hooks/use-notifications-live';

interface Props {
  open: boolean;
  unread: number;
  onClose: () => void;
  onOpenNotification: (n: AppNotification) => void;
  onMarkAll: () => void;
}

/** The list behind the bell (loaded with the first click: the app bar needs only the count). */
export default function NotificationPanel({ open, unread, onClose, onOpenNotification, onMarkAll }: Props) {
  const list = useNotifications(open);
  const [permission, setPermission] = useState(() => (browserNotificationsSupported() ? Notification.permission : 'unsupported'));

  const askPermission = async () => {
    try {
      setPermission(await Notification.requestPermission());
    } catch {
      /* an old browser without the promise form */
    }
  };

  return (
    <Drawer
      title="Notifications"
      open={open}
      onClose={onClose}
      size={400}
      closable={{ 'aria-label': 'Close notifications' }}
      extra={
        <Button size="small" onClick={onMarkAll} disabled={unread === 0}>
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
            <button type="button" className={`sb-notif-item${n.read_at ? '' : ' sb-notif-unread'}`} onClick={() => onOpenNotification(n)} data-notification-id={n.id}>
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
  );
}
