import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main style={{ minHeight: '100%', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5', padding: 16 }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          Switchboard
        </Typography.Title>
        <Typography.Title level={4} style={{ marginTop: 0, fontWeight: 500 }}>
          {title}
        </Typography.Title>
        {children}
        {footer && <div className="sb-text-links" style={{ marginTop: 16, textAlign: 'center' }}>{footer}</div>}
      </Card>
    </main>
  );
}
