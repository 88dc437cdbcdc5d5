import { useParams } from 'react-router-dom';
import { TicketDetail } from '@/features/tickets/components/ticket-detail';

export default function TicketPage() {
  const key = useParams().key ?? '';
  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
      <TicketDetail key={key} ticketKey={key} />
    </div>
  );
}
