import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { useAuth, type RegisterInput } from '@/lib/auth/auth-context';
import { applyFieldErrors } from '@/lib/form-errors';

interface Props {
  onSuccess: () => void;
}

export function RegisterForm({ onSuccess }: Props) {
  const { signUp } = useAuth();
  const [form] = Form.useForm<RegisterInput>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: RegisterInput) => {
    setBusy(true);
    setError(null);
    try {
      await signUp({ ...values, username: values.username.trim(), email: values.email.trim() });
      onSuccess();
    } catch (err) {
      if (!applyFieldErrors(form, err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      requiredMark={false}
      aria-label="Sign up form"
      initialValues={{ username: '', email: '', password: '', first_name: '', last_name: '' }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form.Item
        label="Username"
        name="username"
        rules={[
          { required: true, message: 'Choose a username' },
          { min: 3, max: 150, message: '3 to 150 characters' },
          { pattern: /^[\w.@+-]+$/, message: 'Letters, digits and @ . + - _ only' },
        ]}
      >
        <Input autoComplete="username" autoFocus />
      </Form.Item>
      <Form.Item label="Email" name="email" rules={[{ required: true, type: 'email', message: 'Enter a valid email' }]}>
        <Input autoComplete="email" type="email" />
      </Form.Item>
      <Form.Item
        label="Password"
        name="password"
        rules={[
          { required: true, message: 'Choose a password' },
          { min: 8, message: 'At least 8 characters' },
          { pattern: /\D/, message: 'Cannot be all digits' },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item label="First name" name="first_name">
        <Input autoComplete="given-name" />
      </Form.Item>
      <Form.Item label="Last name" name="last_name">
        <Input autoComplete="family-name" />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        Sign up
      </Button>
    </Form>
  );
}
