import { Timeline, Typography } from 'antd';
import { formatDateTime } from '@/lib/format';
import { userLabel } from '@/lib/shared-queries';
import { useHistory } from '../api/tickets';

export function TicketHistory({ ticketId }: { ticketId: number }) {
  const history = useHistory(ticketId);
  const entries = history.data ?? [];
  return (
    <section aria-label="History">
      <Typography.Title level={5}>History</Typography.Title>
      {entries.length === 0 ? (
        <Typography.Text type="secondary">{history.isLoading ? 'Loading…' : 'No changes yet'}</Typography.Text>
      ) : (
        <Timeline
          items={entries.map((h) => ({
            key: h.id,
            content: (
              <div className="sb-prewrap" style={{ fontSize: 13 }}>
                <strong>{userLabel(h.actor)}</strong> changed <em>{h.field}</em> from “{h.old_value ?? '—'}” to “{h.new_value ?? '—'}”
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(h.created_at)}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </section>
  );
}
