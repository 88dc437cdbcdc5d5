import { useState, type DragEvent } from 'react';
import { Link } from 'react-router-dom';
import { App, Alert, Button, Card, Dropdown, Typography } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { errorMessage } from '@/lib/api-client';
import { userLabel } from '@/lib/shared-queries';
import { useTickets, useUpdateTicket } from '../api/tickets';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { STATUSES, STATUS_LABEL, type Ticket, type TicketStatus } from '../types';
import { TicketFiltersBar } from './ticket-filters-bar';
import { PriorityTag, TypeTag } from './ticket-tags';

const MIME = 'application/x-switchboard-ticket';

export function TicketBoard() {
  const { filters, setFilters } = useTicketFilters();
  const { status: _ignored, page: _page, ...boardFilters } = filters;
  const tickets = useTickets(boardFilters, { pageSize: 200 });
  const update = useUpdateTicket();
  const { message } = App.useApp();
  const [over, setOver] = useState<TicketStatus | null>(null);

  const move = async (t: Ticket, status: TicketStatus) => {
    if (t.status === status) return;
    try {
      await update.mutateAsync({ id: t.id, patch: { status } });
      message.success(`${t.key} moved to ${STATUS_LABEL[status]}`);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  const all = tickets.data?.results ?? [];
  const onDrop = (status: TicketStatus) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const id = Number(e.dataTransfer.getData(MIME) || e.dataTransfer.getData('text/plain'));
    const t = all.find((x) => x.id === id);
    if (t) void move(t, status);
  };

  return (
    <>
      <TicketFiltersBar filters={filters} onChange={setFilters} hideStatus />
      {tickets.isError && <Alert type="error" title={errorMessage(tickets.error)} />}
      {(tickets.data?.count ?? 0) > all.length && (
        <Typography.Text type="secondary">Showing the first {all.length} tickets; narrow the filters to see the rest.</Typography.Text>
      )}
      <div className="sb-board">
        {STATUSES.map((status) => {
          const column = all.filter((t) => t.status === status);
          return (
            <section
              key={status}
              aria-label={`${STATUS_LABEL[status]} column`}
              className={`sb-board-column${over === status ? ' sb-drop-target' : ''}`}
              onDragOver={(e) => {
                e.preventDefault();
                e.dataTransfer.dropEffect = 'move';
                if (over !== status) setOver(status);
              }}
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(null);
              }}
              onDrop={onDrop(status)}
            >
              <Typography.Title level={5} style={{ margin: '4px 4px 8px' }}>
                {STATUS_LABEL[status]} <Typography.Text type="secondary">({column.length})</Typography.Text>
              </Typography.Title>
              <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: 8 }}>
                {column.map((t) => (
                  <li key={t.id}>
                    <Card
                      size="small"
                      draggable
                      role="group"
                      aria-label={`Ticket ${t.key}: ${t.title}`}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(MIME, String(t.id));
                        e.dataTransfer.setData('text/plain', String(t.id));
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      style={{ cursor: 'grab' }}
                      extra={
                        <Dropdown
                          trigger={['click']}
                          menu={{
                            items: STATUSES.filter((s) => s !== t.status).map((s) => ({ key: s, label: `Move to ${STATUS_LABEL[s]}` })),
                            onClick: ({ key }) => void move(t, key as TicketStatus),
                          }}
                        >
                          <Button type="text" size="small" icon={<MoreOutlined />} aria-label={`Move ${t.key}`} />
                        </Dropdown>
                      }
                      title={<Link to={`/tickets/${t.key}`}>{t.key}</Link>}
                    >
                      <div className="sb-prewrap" style={{ marginBottom: 6 }}>
                        {t.title}
                      </div>
                      <PriorityTag priority={t.priority} />
                      <TypeTag type={t.type} />
                      {t.assignee && (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {userLabel(t.assignee)}
                        </Typography.Text>
                      )}
                    </Card>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </>
  );
}
