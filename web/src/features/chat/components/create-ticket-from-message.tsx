import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Form, Input, Modal, Select, Tooltip } from 'antd';
import { FileAddOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router-dom';
import { UserSelect } from '@/components/user-select';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useMembers } from '@/lib/shared-queries';
import { createTicketFromMessage } from '../api/ticket-links';
import type { ChatMessage } from '../types';
import { titleFromMessage } from '../utils/ticket-title';
import { useTicketLinks } from './ticket-links-context';

const TYPES = [
  { value: 'task', label: 'Task' },
  { value: 'bug', label: 'Bug' },
  { value: 'feature', label: 'Feature' },
  { value: 'question', label: 'Question' },
];
const PRIORITIES = [
  { value: 'low', label: 'Low' },
  { value: 'medium', label: 'Medium' },
  { value: 'high', label: 'High' },
  { value: 'urgent', label: 'Urgent' },
];

/** The message toolbar's "Create ticket" button (nothing where tickets can't be made). */
export function CreateTicketAction({ message }: { message: ChatMessage }) {
  const open = useTicketLinks().createTicket;
  if (!open || message.type === 'system' || message.id <= 0) return null;
  return (
    <Tooltip title="Create ticket">
      <Button size="small" type="text" icon={<FileAddOutlined />} aria-label="Create ticket from message" onClick={() => open(message)} />
    </Tooltip>
  );
}

interface Values {
  title: string;
  type: string;
  priority: string;
  assignee_id: number | null;
  include_thread: boolean;
}

/** Whether the message is part of a thread whose replies could go into the ticket. */
function inThread(m: ChatMessage): boolean {
  const withThread = m as ChatMessage & { reply_count?: number; thread_root_id?: number | null };
  return (withThread.reply_count ?? 0) > 0 || !!withThread.thread_root_id;
}

/**
 * A ticket made from a message, in the room's project: the title comes from the message, the
 * server quotes it (and its thread, if asked) and links back. Lands on the new ticket.
 */
export function CreateTicketFromMessageModal({ message, projectId, onClose }: { message: ChatMessage | null; projectId: number; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message: toast } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const members = useMembers(message ? projectId : null);
  const threaded = message ? inThread(message) : false;

  const submit = async () => {
    if (!message) return;
    const v = await form.validateFields();
    try {
      const ticket = await createTicketFromMessage(message.id, {
        title: v.title.trim(),
        type: v.type,
        priority: v.priority,
        assignee_id: v.assignee_id ?? null,
        include_thread: v.include_thread,
      });
      toast.success(`Created ${ticket.key}`);
      // Ticket lists anywhere in the app now hold one more.
      void qc.invalidateQueries({ queryKey: ['tickets', 'list'] });
      onClose();
      navigate(`/tickets/${encodeURIComponent(ticket.key)}`);
    } catch (err) {
      if (!applyFieldErrors(form, err)) toast.error(errorMessage(err));
    }
  };

  return (
    // Not force-rendered: a closed modal that stays mounted keeps a place in Ant Design's Escape
    // stack and swallows the Escape meant for another dialog. The form is made afresh per message.
    <Modal title="Create ticket from message" open={!!message} onCancel={onClose} onOk={() => void submit()} okText="Create ticket" destroyOnHidden focusTriggerAfterClose={false}>
      {message && (
      <Form key={message.id} form={form} name="ticket-from-message" layout="vertical" onFinish={() => void submit()}
        initialValues={{ title: titleFromMessage(message.content), type: 'task', priority: 'medium', assignee_id: null, include_thread: threaded }}>
        <Form.Item label="Title" name="title" rules={[{ required: true, whitespace: true, message: 'Give it a title' }, { max: 200 }]}>
          <Input autoFocus />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item label="Type" name="type" style={{ flex: 1, minWidth: 120 }}>
            <Select aria-label="Type" options={TYPES} />
          </Form.Item>
          <Form.Item label="Priority" name="priority" style={{ flex: 1, minWidth: 120 }}>
            <Select aria-label="Priority" options={PRIORITIES} />
          </Form.Item>
        </div>
        <Form.Item label="Assignee" name="assignee_id">
          <UserSelect ariaLabel="Assignee" allowClear placeholder="Unassigned" options={(members.data ?? []).map((mb) => mb.user)} />
        </Form.Item>
        <Form.Item name="include_thread" valuePropName="checked" extra="The description quotes the message with its author and time; attachments are copied.">
          <Checkbox disabled={!threaded}>Include the thread{threaded ? '' : ' (this message has no replies)'}</Checkbox>
        </Form.Item>
      </Form>
      )}
    </Modal>
  );
}
