import { Typography } from 'antd';
import { TicketBoard } from '@/features/tickets/components/ticket-board';

export default function BoardPage() {
  return (
    <div className="sb-page" style={{ padding: 24 }}>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        Board
      </Typography.Title>
      <TicketBoard />
    </div>
  );
}
