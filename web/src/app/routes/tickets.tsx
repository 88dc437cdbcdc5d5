import { Typography } from 'antd';
import { TicketList } from '@/features/tickets/components/ticket-list';

export default function TicketsPage() {
  return (
    <div className="sb-page" style={{ padding: 24 }}>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        Tickets
      </Typography.Title>
      <TicketList />
    </div>
  );
}
