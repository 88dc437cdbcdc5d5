import { Person } from '@/components/person';
import { Link } from 'react-router-dom';
import { Table, Typography } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { useProjects, userLabel } from '@/lib/shared-queries';
import { useTickets } from '../api/tickets';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { useProjectTopics } from '../hooks/use-tickets-live';
import type { Ticket } from '../types';
import { TicketFiltersBar } from './ticket-filters-bar';
import { PriorityTag, StatusTag, TypeTag } from './ticket-tags';

const PAGE_SIZE = 50;

export function TicketList() {
  const { filters, setFilters } = useTicketFilters();
  const tickets = useTickets(filters, { pageSize: PAGE_SIZE });
  const page = Number(filters.page ?? 1);
  // The list may span every project of the person: follow each one it can show.
  const projects = useProjects();
  useProjectTopics(filters.project ? [Number(filters.project)] : (projects.data ?? []).map((p) => p.id));

  return (
    <>
      <TicketFiltersBar filters={filters} onChange={setFilters} />
      {tickets.isError && <Typography.Text type="danger">{errorMessage(tickets.error)}</Typography.Text>}
      <Table<Ticket>
        rowKey="id"
        size="middle"
        // Live updates refetch in the background; only a new page or filter shows the spinner.
        loading={tickets.isPending || tickets.isPlaceholderData}
        dataSource={tickets.data?.results ?? []}
        scroll={{ x: 800 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: tickets.data?.count ?? 0,
          showSizeChanger: false,
          onChange: (p) => setFilters({ page: p > 1 ? String(p) : undefined }),
        }}
        columns={[
          { title: 'Key', dataIndex: 'key', width: 100, render: (key: string) => <Link to={`/tickets/${key}`}>{key}</Link> },
          {
            title: 'Title',
            dataIndex: 'title',
            render: (title: string, t) => (
              <Link to={`/tickets/${t.key}`}>
                <span className="sb-prewrap">{title}</span>
              </Link>
            ),
          },
          { title: 'Status', dataIndex: 'status', width: 120, render: (s: Ticket['status']) => <StatusTag status={s} /> },
          { title: 'Priority', dataIndex: 'priority', width: 100, render: (p: Ticket['priority']) => <PriorityTag priority={p} /> },
          { title: 'Type', dataIndex: 'type', width: 100, render: (t: Ticket['type']) => <TypeTag type={t} /> },
          { title: 'Assignee', dataIndex: 'assignee', width: 160, render: (a: Ticket['assignee']) => (a ? <Person user={a} label={userLabel(a)} /> : '—') },
          { title: 'Due', dataIndex: 'due_date', width: 110, render: (d: string | null) => d ?? '—' },
        ]}
      />
    </>
  );
}
