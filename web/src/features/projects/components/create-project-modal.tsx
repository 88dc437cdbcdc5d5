import { useRef } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useCreateProject } from '../api/projects';
import { suggestProjectKey } from '../utils/project-key';

interface Values {
  key: string;
  name: string;
  description: string;
}

export function CreateProjectModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const create = useCreateProject();
  const { message } = App.useApp();
  // The key follows the name until the person types a key of their own (clearing it hands it back).
  const keyEdited = useRef(false);

  const submit = async () => {
    const v = await form.validateFields();
    try {
      const p = await create.mutateAsync({ key: v.key.trim().toUpperCase(), name: v.name.trim(), description: v.description ?? '' });
      message.success(`Project ${p.key} created`);
      form.resetFields();
      keyEdited.current = false;
      onClose();
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorMessage(err));
    }
  };

  return (
    <Modal title="New project" open={open} onCancel={onClose} onOk={submit} okText="Create project" confirmLoading={create.isPending} forceRender>
      <Form
        form={form}
        name="new-project"
        layout="vertical"
        initialValues={{ key: '', name: '', description: '' }}
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          if ('key' in changed) keyEdited.current = !!changed.key;
          if ('name' in changed && !keyEdited.current) form.setFieldValue('key', suggestProjectKey(changed.name ?? ''));
        }}
      >
        <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true, message: 'Name the project' }]}>
          <Input />
        </Form.Item>
        <Form.Item
          label="Key"
          name="key"
          extra="Ticket numbers start with it, e.g. SUP-42. Suggested from the name; change it if you like."
          normalize={(v: string) => v.toUpperCase()}
          rules={[
            { required: true, message: 'A short key like SUP' },
            { pattern: /^[A-Z][A-Z0-9]{1,9}$/, message: '2–10 characters: a letter, then letters or digits' },
          ]}
        >
          <Input maxLength={10} />
        </Form.Item>
        <Form.Item label="Description" name="description">
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
