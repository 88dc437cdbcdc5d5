import { Loading } from '@/components/loading';
import { useCallback, useState, type DragEvent } from 'react';
import { Link } from 'react-router-dom';
import { App, Alert, Button, Card, Dropdown, Empty, Select, Space, Tooltip, Typography } from 'antd';
import { CalendarOutlined, MoreOutlined } from '@ant-design/icons';
import { Person } from '@/components/person';
import { errorMessage } from '@/lib/api-client';
import { useTickets, useUpdateTicket } from '../api/tickets';
import { useBoardProject } from '../hooks/use-board-project';
import { useProjectTopics } from '../hooks/use-tickets-live';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { STATUSES, STATUS_LABEL, type Ticket, type TicketStatus } from '../types';
import { formatDueDate } from '../utils/history-wording';
import { TicketFiltersBar } from './ticket-filters-bar';
import { PriorityTag } from './ticket-tags';

const MIME = 'application/x-switchboard-ticket';

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function DueDate({ ticket }: { ticket: Ticket }) {
  if (!ticket.due_date) return null;
  const overdue = ticket.due_date < today() && ticket.status !== 'resolved' && ticket.status !== 'closed';
  const text = formatDueDate(ticket.due_date);
  return (
    <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }} aria-label={`Due ${text}${overdue ? ', overdue' : ''}`}>
      <CalendarOutlined aria-hidden /> {text}
    </Typography.Text>
  );
}

function BoardCard({ ticket: t, onMove }: { ticket: Ticket; onMove: (t: Ticket, s: TicketStatus) => void }) {
  return (
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
          // Opened by keyboard, the menu takes focus so the arrow keys and Enter work in it.
          autoFocus
          menu={{
            items: STATUSES.filter((s) => s !== t.status).map((s) => ({ key: s, label: `Move to ${STATUS_LABEL[s]}` })),
            onClick: ({ key }) => onMove(t, key as TicketStatus),
          }}
        >
          <Button type="text" size="small" icon={<MoreOutlined />} aria-label={`Move ${t.key}`} />
        </Dropdown>
      }
      title={<Link to={`/tickets/${t.key}`}>{t.key}</Link>}
    >
      <div className="sb-prewrap" style={{ marginBottom: 8 }}>
        {t.title}
      </div>
      <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 6, flexWrap: 'wrap' }}>
        <Space size={4} wrap>
          <PriorityTag priority={t.priority} />
          <DueDate ticket={t} />
        </Space>
        {t.assignee ? (
          <span aria-label={`Assigned to ${t.assignee.display_name || t.assignee.username}`}>
            <Person user={t.assignee} secondary />
          </span>
        ) : (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            Unassigned
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}

export function TicketBoard() {
  const { filters, setFilters } = useTicketFilters();
  const setProject = useCallback((id: number) => setFilters({ project: String(id), assignee: undefined }), [setFilters]);
  const board = useBoardProject(filters.project, setProject);
  const { status: _ignored, page: _page, ...rest } = filters;
  const boardFilters = { ...rest, project: board.project ? String(board.project.id) : undefined };
  const tickets = useTickets(boardFilters, { pageSize: 200, enabled: !!board.project });
  useProjectTopics([board.project?.id]);
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

  if (board.isLoading) return <Loading label="Loading projects" />;
  if (board.projects.length === 0) return <Empty description="Create or join a project to see its board." />;

  const all = board.project ? (tickets.data?.results ?? []) : [];
  const onDrop = (status: TicketStatus) => (e: DragEvent) => {
    e.preventDefault();
    setOver(null);
    const id = Number(e.dataTransfer.getData(MIME) || e.dataTransfer.getData('text/plain'));
    const t = all.find((x) => x.id === id);
    if (t) void move(t, status);
  };

  return (
    <>
      <Space wrap align="start" style={{ marginBottom: 8 }}>
        <Tooltip title="The board shows one project at a time">
          <Select
            aria-label="Board project"
            style={{ width: 240 }}
            value={board.project?.id}
            placeholder="Pick a project"
            onChange={(id: number) => setProject(id)}
            showSearch={{ optionFilterProp: 'label' }}
            options={board.projects.map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` }))}
          />
        </Tooltip>
      </Space>
      <TicketFiltersBar filters={boardFilters} onChange={setFilters} hideStatus hideProject />
      {board.missing && <Alert type="warning" title="That project is not available. Pick another one." style={{ marginBottom: 12 }} />}
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
                    <BoardCard ticket={t} onMove={(x, s) => void move(x, s)} />
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
