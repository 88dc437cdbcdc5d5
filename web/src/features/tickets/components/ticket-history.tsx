import { UserAvatar } from '@/components/user-avatar';
import { Timeline, Typography } from 'antd';
import { formatDateTime } from '@/lib/format';
import { useMembers, userLabel } from '@/lib/shared-queries';
import { useHistory } from '../api/tickets';
import { describeHistory } from '../utils/history-wording';

export function TicketHistory({ ticketId, projectId }: { ticketId: number; projectId: number }) {
  const history = useHistory(ticketId);
  const members = useMembers(projectId);
  const entries = history.data ?? [];
  // History names people by username; show the names people know them by when we can.
  const personName = (username: string) => {
    const m = members.data?.find((x) => x.user.username === username);
    return m ? m.user.display_name || m.user.username : username;
  };
  return (
    <section aria-label="History">
      <Typography.Title level={5}>History</Typography.Title>
      {entries.length === 0 ? (
        <Typography.Text type="secondary">{history.isLoading ? 'Loading…' : 'No changes yet'}</Typography.Text>
      ) : (
        <Timeline
          items={entries.map((h) => {
            const said = describeHistory(h, { personName, actorUsername: h.actor.username });
            return {
              key: h.id,
              icon: <UserAvatar user={h.actor} size={20} />,
              content: (
                <div style={{ fontSize: 13 }}>
                  <span className="sb-prewrap">
                    <strong>{h.actor.display_name || userLabel(h.actor)}</strong> {said.text}
                  </span>
                  {said.quote && (
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} className="sb-prewrap" style={{ margin: '2px 0 0', fontSize: 12 }}>
                      {said.quote}
                    </Typography.Paragraph>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {formatDateTime(h.created_at)}
                  </Typography.Text>
                </div>
              ),
            };
          })}
        />
      )}
    </section>
  );
}
