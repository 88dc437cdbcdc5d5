import { App, Form, Input, Modal } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useCreateProject } from '../api/projects';

export function CreateProjectModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ key: string; name: string; description: string }>();
  const create = useCreateProject();
  const { message } = App.useApp();

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const p = await create.mutateAsync({ key: v.key.trim().toUpperCase(), name: v.name.trim(), description: v.description ?? '' });
      message.success(`Project ${p.key} created`);
      form.resetFields();
      onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorMessage(err));
    }
  };

  return (
    <Modal title="New project" open={open} onCancel={onClose} onOk={submit} okText="Create project" confirmLoading={create.isPending} forceRender>
      <Form form={form} layout="vertical" initialValues={{ key: '', name: '', description: '' }} onFinish={submit}>
        <Form.Item
          label="Key"
          name="key"
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, message: 'A short key like SUP' },
            { pattern: /^[A-Z][A-Z0-9]{1,9}$/, message: '2–10 characters: a letter, then letters or digits' },
          ]}
        >
          <Input maxLength={10} />
        </Form.Item>
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Name the project' }]}>
          <Input />
        </Form.Item>
        <Form.Item label="Description" name="description">
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
