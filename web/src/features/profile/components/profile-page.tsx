import { Loading } from '@/components/loading';
import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { UserAvatar } from '@/components/user-avatar';
import { api, errorMessage } from '@/lib/api-client';
import { applyFieldErrors } from '@/lib/form-errors';
import type { User } from '@/types/api';

interface Me extends User {
  share_read_receipts: boolean;
  email_notifications: boolean;
}

type ProfileInput = Pick<Me, 'first_name' | 'last_name' | 'email' | 'share_read_receipts' | 'email_notifications'>;

const ME_KEY = ['auth', 'me'] as const;
const AVATAR_TYPES = 'image/png,image/jpeg,image/webp';

export function ProfilePage() {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProfileInput>();
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const me = useQuery({ queryKey: ME_KEY, queryFn: () => api<Me>('/api/auth/me/') });

  const onSaved = (user: Me) => {
    qc.setQueryData(ME_KEY, user);
    // Names and pictures show in rooms, members and tickets: let those lists refetch.
    void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
  };
  const save = useMutation({
    mutationFn: (v: ProfileInput) => api<Me>('/api/auth/me/', { method: 'PATCH', body: v }),
    onSuccess: (u) => {
      onSaved(u);
      setError(null);
      message.success('Profile saved');
    },
    onError: (err) => {
      applyFieldErrors(form, err);
      setError(errorMessage(err));
    },
  });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file, file.name);
      return api<Me>('/api/auth/me/avatar/', { method: 'PUT', form: body });
    },
    onSuccess: (u) => {
      onSaved(u);
      message.success('Picture updated');
    },
    onError: (err) => message.error(errorMessage(err)),
  });
  const remove = useMutation({
    mutationFn: () => api<Me>('/api/auth/me/avatar/', { method: 'DELETE' }),
    onSuccess: onSaved,
    onError: (err) => message.error(errorMessage(err)),
  });

  if (me.isLoading) return <Loading style={{ margin: 48 }} label="Loading profile" />;
  if (!me.data) return <Alert type="error" title={errorMessage(me.error)} style={{ margin: 24 }} />;
  const user = me.data;

  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 720, width: '100%', margin: '0 auto' }}>
      <Typography.Title level={2}>Profile</Typography.Title>
      <Card title="Picture" style={{ marginBottom: 16 }}>
        <Space size={16} align="center" wrap>
          <UserAvatar user={user} size={80} />
          <input
            ref={fileInput}
            type="file"
            accept={AVATAR_TYPES}
            hidden
            aria-label="Choose a picture"
            onChange={(e) => {
              const f = e.target.files?.[0];
              e.target.value = '';
              if (f) upload.mutate(f);
            }}
          />
          <Button icon={<UploadOutlined />} loading={upload.isPending} onClick={() => fileInput.current?.click()}>
            Upload picture
          </Button>
          {user.avatar_url && (
            <Button icon={<DeleteOutlined />} danger loading={remove.isPending} onClick={() => remove.mutate()}>
              Remove picture
            </Button>
          )}
          <Typography.Text type="secondary">PNG, JPEG or WebP, up to 2 MB. It is cropped to a square.</Typography.Text>
        </Space>
      </Card>
      <Card title={`Signed in as ${user.username}`}>
        {error && <Alert type="error" title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" initialValues={user} onFinish={(v) => save.mutate(v)} style={{ maxWidth: 480 }}>
          <Form.Item name="first_name" label="First name" rules={[{ max: 150 }]}>
            <Input autoComplete="given-name" />
          </Form.Item>
          <Form.Item name="last_name" label="Last name" rules={[{ max: 150 }]}>
            <Input autoComplete="family-name" />
          </Form.Item>
          <Form.Item name="email" label="Email" rules={[{ required: true, type: 'email', message: 'Enter a valid email address' }]}>
            <Input autoComplete="email" />
          </Form.Item>
          <Form.Item name="share_read_receipts" label="Let others see when I have read their messages" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="email_notifications" label="Email me about mentions and direct messages I have not read" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            Save
          </Button>
        </Form>
      </Card>
    </div>
  );
}
