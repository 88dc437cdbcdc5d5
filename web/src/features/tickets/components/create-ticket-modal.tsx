import { useEffect } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useNavigate } from 'react-router-dom';
import { UserSelect } from '@/components/user-select';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useMembers, useProjects } from '@/lib/shared-queries';
import { useCreateTicket } from '../api/tickets';
import { PRIORITIES, PRIORITY_LABEL, TYPES, TYPE_LABEL, type TicketInput } from '../types';

interface Props {
  open: boolean;
  onClose: () => void;
  defaultProjectId?: number | null;
}

interface Values {
  project: number;
  title: string;
  description: string;
  priority: TicketInput['priority'];
  type: TicketInput['type'];
  assignee_id: number | null;
  labels: string[];
  due_date: string;
}

export function CreateTicketModal({ open, onClose, defaultProjectId }: Props) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const projects = useProjects();
  const create = useCreateTicket();
  const projectId = Form.useWatch('project', form);
  const members = useMembers(projectId);

  useEffect(() => {
    if (!open) return;
    const fallback = defaultProjectId ?? projects.data?.[0]?.id;
    if (fallback && !form.getFieldValue('project')) form.setFieldValue('project', fallback);
  }, [open, defaultProjectId, projects.data, form]);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const ticket = await create.mutateAsync({
        project: v.project,
        title: v.title.trim(),
        description: v.description || '',
        priority: v.priority,
        type: v.type,
        assignee_id: v.assignee_id ?? null,
        labels: v.labels ?? [],
        due_date: v.due_date || null,
      });
      message.success(`Created ${ticket.key}`);
      form.resetFields();
      onClose();
      navigate(`/tickets/${ticket.key}`);
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorMessage(err));
    }
  };

  return (
    <Modal
      title="Create ticket"
      open={open}
      onCancel={onClose}
      onOk={submit}
      okText="Create"
      confirmLoading={create.isPending}
      destroyOnHidden
      forceRender
      focusTriggerAfterClose={false}
    >
      <Form
        form={form}
        // The name prefixes the field ids: other forms on the page (the new-project form is always
        // rendered) have a "description" too, and a label must point at its own field.
        name="create-ticket"
        layout="vertical"
        initialValues={{ priority: 'medium', type: 'task', labels: [], description: '', due_date: '' }}
        onFinish={submit}
      >
        <Form.Item label="Project" name="project" rules={[{ required: true, message: 'Pick a project' }]}>
          <Select
            aria-label="Project"
            loading={projects.isLoading}
            options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` }))}
          />
        </Form.Item>
        <Form.Item label="Title" name="title" rules={[{ required: true, whitespace: true, message: 'Give it a title' }, { max: 200 }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item label="Description" name="description">
          <Input.TextArea rows={4} />
        </Form.Item>
        <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap' }}>
          <Form.Item label="Type" name="type" style={{ flex: 1, minWidth: 120 }}>
            <Select aria-label="Type" options={TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))} />
          </Form.Item>
          <Form.Item label="Priority" name="priority" style={{ flex: 1, minWidth: 120 }}>
            <Select aria-label="Priority" options={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))} />
          </Form.Item>
        </div>
        <Form.Item label="Assignee" name="assignee_id">
          <UserSelect ariaLabel="Assignee" allowClear placeholder="Unassigned" options={(members.data ?? []).map((m) => m.user)} />
        </Form.Item>
        <Form.Item label="Labels" name="labels">
          <Select aria-label="Labels" mode="tags" tokenSeparators={[',']} open={false} suffixIcon={null} />
        </Form.Item>
        <Form.Item label="Due date" name="due_date">
          <Input type="date" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
