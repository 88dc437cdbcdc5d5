import { Input, Select, Space } from 'antd';
import { useMembers, useProjects, userLabel } from '@/lib/shared-queries';
import { PRIORITIES, PRIORITY_LABEL, STATUSES, STATUS_LABEL, TYPES, TYPE_LABEL, type TicketFilters } from '../types';

interface Props {
  filters: TicketFilters;
  onChange: (patch: Partial<TicketFilters>) => void;
  hideStatus?: boolean;
  /** The board picks its one project with its own switcher. */
  hideProject?: boolean;
}

const ORDERINGS = [
  { value: '-created_at', label: 'Newest' },
  { value: 'created_at', label: 'Oldest' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: '-priority', label: 'Priority (high first)' },
  { value: 'due_date', label: 'Due date' },
  { value: 'number', label: 'Number' },
];

export function TicketFiltersBar({ filters, onChange, hideStatus, hideProject }: Props) {
  const projects = useProjects();
  const members = useMembers(filters.project ? Number(filters.project) : null);
  return (
    <Space wrap style={{ marginBottom: 16 }} role="search" aria-label="Ticket filters">
      {!hideProject && (
        <Select
          aria-label="Filter by project"
          placeholder="All projects"
          allowClear
          style={{ width: 180 }}
          value={filters.project ? Number(filters.project) : undefined}
          onChange={(v?: number) => onChange({ project: v ? String(v) : undefined, assignee: undefined })}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` }))}
        />
      )}
      {!hideStatus && (
        <Select
          aria-label="Filter by status"
          placeholder="Any status"
          mode="multiple"
          allowClear
          style={{ minWidth: 160 }}
          value={filters.status ? filters.status.split(',') : []}
          onChange={(v: string[]) => onChange({ status: v.join(',') || undefined })}
          options={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
        />
      )}
      <Select
        aria-label="Filter by priority"
        placeholder="Any priority"
        allowClear
        style={{ width: 140 }}
        value={filters.priority}
        onChange={(v?: string) => onChange({ priority: v })}
        options={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))}
      />
      <Select
        aria-label="Filter by type"
        placeholder="Any type"
        allowClear
        style={{ width: 130 }}
        value={filters.type}
        onChange={(v?: string) => onChange({ type: v })}
        options={TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
      />
      <Select
        aria-label="Filter by assignee"
        placeholder="Anyone"
        allowClear
        style={{ width: 170 }}
        value={filters.assignee}
        onChange={(v?: string) => onChange({ assignee: v })}
        options={[
          { value: 'me', label: 'Assigned to me' },
          { value: 'none', label: 'Unassigned' },
          ...(members.data ?? []).map((m) => ({ value: String(m.user.id), label: userLabel(m.user) })),
        ]}
      />
      <Input
        aria-label="Filter by label"
        placeholder="Label"
        allowClear
        style={{ width: 120 }}
        defaultValue={filters.label}
        key={`label-${filters.label ?? ''}`}
        onBlur={(e) => onChange({ label: e.target.value.trim() || undefined })}
        onPressEnter={(e) => onChange({ label: e.currentTarget.value.trim() || undefined })}
      />
      <Input.Search
        aria-label="Search tickets"
        placeholder="Search"
        allowClear
        style={{ width: 200 }}
        defaultValue={filters.search}
        key={`search-${filters.search ?? ''}`}
        onSearch={(v) => onChange({ search: v.trim() || undefined })}
      />
      <Select
        aria-label="Order by"
        style={{ width: 180 }}
        value={filters.ordering ?? '-created_at'}
        onChange={(v: string) => onChange({ ordering: v === '-created_at' ? undefined : v })}
        options={ORDERINGS}
      />
    </Space>
  );
}
