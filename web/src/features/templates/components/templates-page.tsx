import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Markdown } from '@/components/markdown/markdown';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useProjects } from '@/lib/shared-queries';
import { createTemplate, deleteTemplate, listTemplates, templateKeys, updateTemplate, type Template, type TemplateInput } from '@/lib/templates';

const VARIABLES = ['{{me.name}}', '{{room.name}}', '{{ticket.key}}', '{{ticket.title}}', '{{ticket.status}}', '{{ticket.assignee}}', '{{ticket.url}}'];

/** Personal templates, and the project templates of projects where the caller is an admin. */
export function TemplatesPage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const projects = useProjects();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<Template | 'new' | null>(null);
  const list = useQuery({ queryKey: templateKeys.list(null, search), queryFn: () => listTemplates({ search }) });
  const adminOf = (projects.data ?? []).filter((p) => p.my_role === 'owner' || p.my_role === 'admin');
  const canWrite = (t: Template) => t.scope === 'personal' || adminOf.some((p) => p.id === t.project);
  const projectName = (id: number | null) => projects.data?.find((p) => p.id === id)?.key ?? `#${id}`;
  const remove = useMutation({
    mutationFn: (t: Template) => deleteTemplate(t.id),
    onSuccess: () => qc.invalidateQueries({ queryKey: templateKeys.all }),
    onError: (err) => message.error(errorMessage(err)),
  });

  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 1100, width: '100%', margin: '0 auto' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          Templates
        </Typography.Title>
        <Space wrap>
          <Input.Search aria-label="Search templates" placeholder="Search templates" allowClear onSearch={(v) => setSearch(v.trim())} style={{ width: 240 }} />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            New template
          </Button>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">
        Type <code>/</code> and a short code in a chat message to insert a template. Variables such as <code>{'{{me.name}}'}</code> and <code>{'{{room.name}}'}</code> are filled in when it is inserted.
      </Typography.Paragraph>
      {list.isError && <Alert type="error" title={errorMessage(list.error)} />}
      <Table<Template>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        locale={{ emptyText: <Empty description="No templates yet" /> }}
        columns={[
          { title: 'Short code', dataIndex: 'short_code', render: (c: string) => <code>/{c}</code> },
          { title: 'Title', dataIndex: 'title' },
          {
            title: 'Scope',
            dataIndex: 'scope',
            render: (_: string, t) => (t.scope === 'personal' ? <Tag>Personal</Tag> : <Tag color="blue">Project {projectName(t.project)}</Tag>),
          },
          {
            title: 'Actions',
            key: 'actions',
            render: (_: unknown, t) =>
              canWrite(t) ? (
                <Space>
                  <Button size="small" icon={<EditOutlined />} aria-label={`Edit template ${t.short_code}`} onClick={() => setEditing(t)} />
                  <Popconfirm title={`Delete /${t.short_code}?`} okText="Delete" onConfirm={() => remove.mutate(t)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={`Delete template ${t.short_code}`} />
                  </Popconfirm>
                </Space>
              ) : (
                <Typography.Text type="secondary">Read only</Typography.Text>
              ),
          },
        ]}
      />
      {editing && <TemplateModal template={editing === 'new' ? null : editing} adminOf={adminOf} onClose={() => setEditing(null)} />}
    </div>
  );
}

function TemplateModal({ template, adminOf, onClose }: { template: Template | null; adminOf: { id: number; key: string; name: string }[]; onClose: () => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<TemplateInput>();
  const [error, setError] = useState<string | null>(null);
  const scope = Form.useWatch('scope', form) ?? template?.scope ?? 'personal';
  const content = Form.useWatch('content', form) ?? template?.content ?? '';
  const save = useMutation({
    mutationFn: (v: TemplateInput) => (template ? updateTemplate(template.id, v) : createTemplate(v.scope === 'project' ? v : { ...v, project: undefined })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: templateKeys.all });
      onClose();
    },
    onError: (err) => {
      applyFieldErrors(form, err);
      setError(errorMessage(err));
    },
  });
  return (
    <Modal open title={template ? `Edit /${template.short_code}` : 'New template'} onCancel={onClose} okText="Save" onOk={() => form.submit()} confirmLoading={save.isPending} width={640} destroyOnHidden>
      {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={template ?? { scope: 'personal', short_code: '', title: '', content: '' }}
        onFinish={(v) => {
          setError(null);
          save.mutate(v);
        }}
      >
        {!template && (
          <Form.Item name="scope" label="Who can use it">
            <Radio.Group>
              <Radio value="personal">Only me</Radio>
              <Radio value="project" disabled={adminOf.length === 0}>
                A project (admins)
              </Radio>
            </Radio.Group>
          </Form.Item>
        )}
        {!template && scope === 'project' && (
          <Form.Item name="project" label="Project" rules={[{ required: true, message: 'Pick a project' }]}>
            <Select aria-label="Project" options={adminOf.map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` }))} />
          </Form.Item>
        )}
        <Form.Item
          name="short_code"
          label="Short code"
          rules={[
            { required: true, message: 'A short code is required' },
            { pattern: /^[a-z0-9_-]{1,32}$/, message: 'Lower-case letters, digits, - and _ (up to 32)' },
          ]}
        >
          <Input prefix="/" aria-label="Short code" />
        </Form.Item>
        <Form.Item name="title" label="Title" rules={[{ required: true, message: 'A title is required' }]}>
          <Input aria-label="Title" maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label="Text (Markdown)" rules={[{ required: true, message: 'The text is required' }]} extra={<span>Variables: {VARIABLES.map((v) => <code key={v} style={{ marginRight: 6 }}>{v}</code>)}</span>}>
          <Input.TextArea aria-label="Text (Markdown)" autoSize={{ minRows: 4, maxRows: 12 }} maxLength={10_000} />
        </Form.Item>
      </Form>
      {content.trim() && (
        <div role="region" aria-label="Template preview" style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            Preview
          </Typography.Text>
          <Markdown content={content} />
        </div>
      )}
    </Modal>
  );
}
