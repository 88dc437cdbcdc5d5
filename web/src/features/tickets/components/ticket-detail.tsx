import { Person } from '@/components/person';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Col, Descriptions, Input, Popconfirm, Row, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { UserSelect } from '@/components/user-select';
import { ApiError, errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useMembers, useProject, userLabel } from '@/lib/shared-queries';
import { useDeleteTicket, useTicketByKey, useUpdateTicket } from '../api/tickets';
import { useProjectTopics, useTicketTopic } from '../hooks/use-tickets-live';
import { PRIORITIES, PRIORITY_LABEL, STATUSES, STATUS_LABEL, TYPES, TYPE_LABEL, type Ticket, type TicketPatch } from '../types';
import { TicketAttachments } from './ticket-attachments';
import { TicketDiscussion, TicketMentions } from './ticket-chat-panels';
import { TicketComments } from './ticket-comments';
import { TicketHistory } from './ticket-history';
import { TicketWatchers } from './ticket-watchers';

export function TicketDetail({ ticketKey }: { ticketKey: string }) {
  const ticket = useTicketByKey(ticketKey);
  if (ticket.isLoading) return <Skeleton active />;
  if (ticket.isError) {
    const notFound = ticket.error instanceof ApiError && ticket.error.status === 404;
    return <Alert type="error" title={notFound ? `No ticket ${ticketKey}` : errorMessage(ticket.error)} />;
  }
  return ticket.data ? <TicketBody ticket={ticket.data} /> : null;
}

function TicketBody({ ticket }: { ticket: Ticket }) {
  const update = useUpdateTicket();
  const del = useDeleteTicket();
  const project = useProject(ticket.project);
  const members = useMembers(ticket.project);
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [description, setDescription] = useState<string | null>(null);
  const canWrite = project.data ? project.data.my_role !== 'viewer' : true;
  // The ticket's own topic brings its comments; the project's brings changes made from the board or list.
  useTicketTopic(ticket.id);
  useProjectTopics([ticket.project]);
  const canDelete = project.data?.my_role === 'owner' || project.data?.my_role === 'admin';

  const save = async (patch: TicketPatch) => {
    try {
      await update.mutateAsync({ id: ticket.id, patch });
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <Row gutter={[24, 24]}>
      <Col xs={24} lg={16}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            {project.data && <Link to={`/tickets?project=${ticket.project}`}>{project.data.name}</Link>}
            <Tag>{ticket.key}</Tag>
          </Space>
          <Typography.Title
            level={2}
            style={{ margin: 0 }}
            editable={
              canWrite
                ? {
                    triggerType: ['icon', 'text'],
                    text: ticket.title,
                    tooltip: 'Edit title',
                    onChange: (v) => {
                      const t = v.trim();
                      if (t && t !== ticket.title) void save({ title: t });
                    },
                  }
                : false
            }
          >
            {ticket.title}
          </Typography.Title>
          <section aria-label="Description">
            <Typography.Title level={5}>Description</Typography.Title>
            {description === null ? (
              <>
                <div className="sb-prewrap" style={{ minHeight: 24 }}>
                  {ticket.description || <Typography.Text type="secondary">No description</Typography.Text>}
                </div>
                {canWrite && (
                  <Button size="small" style={{ marginTop: 8 }} onClick={() => setDescription(ticket.description)}>
                    Edit description
                  </Button>
                )}
              </>
            ) : (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Input.TextArea aria-label="Description text" autoSize={{ minRows: 4 }} value={description} onChange={(e) => setDescription(e.target.value)} />
                <Space>
                  <Button
                    type="primary"
                    size="small"
                    onClick={async () => {
                      await save({ description });
                      setDescription(null);
                    }}
                  >
                    Save description
                  </Button>
                  <Button size="small" onClick={() => setDescription(null)}>
                    Cancel
                  </Button>
                </Space>
              </Space>
            )}
          </section>
          <TicketComments ticketId={ticket.id} />
        </Space>
      </Col>
      <Col xs={24} lg={8}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label="Status">
              <Select
                aria-label="Status"
                disabled={!canWrite}
                value={ticket.status}
                style={{ width: '100%' }}
                onChange={(status) => save({ status })}
                options={STATUSES.map((s) => ({ value: s, label: STATUS_LABEL[s] }))}
              />
            </Descriptions.Item>
            <Descriptions.Item label="Priority">
              <Select
                aria-label="Priority"
                disabled={!canWrite}
                value={ticket.priority}
                style={{ width: '100%' }}
                onChange={(priority) => save({ priority })}
                options={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))}
              />
            </Descriptions.Item>
            <Descriptions.Item label="Type">
              <Select
                aria-label="Type"
                disabled={!canWrite}
                value={ticket.type}
                style={{ width: '100%' }}
                onChange={(type) => save({ type })}
                options={TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
              />
            </Descriptions.Item>
            <Descriptions.Item label="Assignee">
              <UserSelect
                ariaLabel="Assignee"
                allowClear
                placeholder="Unassigned"
                value={ticket.assignee?.id ?? null}
                options={[...(members.data ?? []).map((m) => m.user)]}
                onChange={(id) => save({ assignee_id: id })}
                style={{ width: '100%' }}
              />
            </Descriptions.Item>
            <Descriptions.Item label="Labels">
              <Select
                aria-label="Labels"
                mode="tags"
                disabled={!canWrite}
                value={ticket.labels}
                style={{ width: '100%' }}
                tokenSeparators={[',']}
                onChange={(labels: string[]) => save({ labels })}
                open={false}
                suffixIcon={null}
                placeholder="Add labels"
              />
            </Descriptions.Item>
            <Descriptions.Item label="Due date">
              <Input
                type="date"
                aria-label="Due date"
                disabled={!canWrite}
                defaultValue={ticket.due_date ?? ''}
                key={ticket.due_date ?? ''}
                onBlur={(e) => {
                  const v = e.target.value || null;
                  if (v !== ticket.due_date) void save({ due_date: v });
                }}
              />
            </Descriptions.Item>
            <Descriptions.Item label="Reporter">
              <Person user={ticket.reporter} label={userLabel(ticket.reporter)} />
            </Descriptions.Item>
            <Descriptions.Item label="Created">{formatDateTime(ticket.created_at)}</Descriptions.Item>
            <Descriptions.Item label="Updated">{formatDateTime(ticket.updated_at)}</Descriptions.Item>
            {ticket.resolved_at && <Descriptions.Item label="Resolved">{formatDateTime(ticket.resolved_at)}</Descriptions.Item>}
          </Descriptions>
          <TicketDiscussion ticket={ticket} canWrite={canWrite} />
          <TicketMentions ticket={ticket} />
          <TicketWatchers ticketId={ticket.id} />
          <TicketAttachments ticketId={ticket.id} />
          <TicketHistory ticketId={ticket.id} projectId={ticket.project} />
          {canDelete && (
            <Popconfirm
              title={`Delete ${ticket.key}?`}
              onConfirm={async () => {
                try {
                  await del.mutateAsync(ticket.id);
                  message.success(`${ticket.key} deleted`);
                  navigate(`/tickets?project=${ticket.project}`);
                } catch (err) {
                  message.error(errorMessage(err));
                }
              }}
            >
              <Button danger>Delete ticket</Button>
            </Popconfirm>
          )}
        </Space>
      </Col>
    </Row>
  );
}
