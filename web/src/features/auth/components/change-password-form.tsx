import { App, Button, Card, Form, Input } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import { useChangePassword } from '../api/sessions';

interface Values {
  current_password: string;
  new_password: string;
  confirm_password: string;
}

/** Changes the password; the server ends every other session with it. */
export function ChangePasswordForm() {
  const [form] = Form.useForm<Values>();
  const change = useChangePassword();
  const { message } = App.useApp();

  const submit = async (v: Values) => {
    try {
      await change.mutateAsync({ current_password: v.current_password, new_password: v.new_password });
      form.resetFields();
      message.success('Password changed. Your other sessions were signed out.');
    } catch (err) {
      if (!applyFieldErrors(form, err)) message.error(errorMessage(err));
    }
  };

  return (
    <Card title="Change password">
      <Form
        form={form}
        name="change-password"
        layout="vertical"
        requiredMark={false}
        initialValues={{ current_password: '', new_password: '', confirm_password: '' }}
        onFinish={submit}
        style={{ maxWidth: 400 }}
      >
        <Form.Item label="Current password" name="current_password" rules={[{ required: true, message: 'Enter your current password' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label="New password"
          name="new_password"
          extra="At least 8 characters, not only digits."
          rules={[
            { required: true, message: 'Choose a new password' },
            { min: 8, message: 'At least 8 characters' },
            { pattern: /\D/, message: 'Not only digits' },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          label="Repeat new password"
          name="confirm_password"
          dependencies={['new_password']}
          rules={[
            { required: true, message: 'Repeat the new password' },
            ({ getFieldValue }) => ({
              validator: (_, value) => (!value || value === getFieldValue('new_password') ? Promise.resolve() : Promise.reject(new Error('The two passwords differ'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          Change password
        </Button>
      </Form>
    </Card>
  );
}
