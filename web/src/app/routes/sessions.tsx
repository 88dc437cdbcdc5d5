import { Space, Typography } from 'antd';
import { ChangePasswordForm } from '@/features/auth/components/change-password-form';
import { SessionsList } from '@/features/auth/components/sessions-list';

export default function SessionsPage() {
  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 900, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        Sessions
      </Typography.Title>
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <SessionsList />
        <ChangePasswordForm />
      </Space>
    </div>
  );
}
