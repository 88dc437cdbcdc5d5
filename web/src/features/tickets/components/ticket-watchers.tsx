import { App, Button, Space, Tag, Typography } from 'antd';
import { EyeInvisibleOutlined, EyeOutlined } from '@ant-design/icons';
import { errorMessage } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import { userLabel } from '@/lib/shared-queries';
import { useWatchers, useWatchToggle } from '../api/tickets';

export function TicketWatchers({ ticketId }: { ticketId: number }) {
  const watchers = useWatchers(ticketId);
  const toggle = useWatchToggle(ticketId);
  const { user } = useAuth();
  const { message } = App.useApp();
  const watching = (watchers.data ?? []).some((w) => w.id === user?.id);
  return (
    <section aria-label="Watchers">
      <Typography.Title level={5}>Watchers</Typography.Title>
      <Space wrap>
        {(watchers.data ?? []).map((w) => (
          <Tag key={w.id}>{userLabel(w)}</Tag>
        ))}
        <Button
          size="small"
          icon={watching ? <EyeInvisibleOutlined /> : <EyeOutlined />}
          loading={toggle.isPending}
          onClick={() => toggle.mutateAsync(!watching).catch((e) => message.error(errorMessage(e)))}
        >
          {watching ? 'Unwatch' : 'Watch'}
        </Button>
      </Space>
    </section>
  );
}
