import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { MessageOutlined, PlusOutlined, SettingOutlined } from '@ant-design/icons';
import { useProjects } from '@/lib/shared-queries';
import { errorMessage } from '@/lib/api-client';
import { CreateProjectModal } from './create-project-modal';

export function ProjectList() {
  const projects = useProjects();
  const [creating, setCreating] = useState(false);

  return (
    <div className="sb-page" style={{ padding: 24, maxWidth: 960, width: '100%', margin: '0 auto', boxSizing: 'border-box' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={2} style={{ margin: 0 }}>
          Projects
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          New project
        </Button>
      </Space>
      {projects.isError && <Typography.Text type="danger">{errorMessage(projects.error)}</Typography.Text>}
      <List
        loading={projects.isLoading}
        dataSource={projects.data ?? []}
        locale={{ emptyText: <Empty description="No projects yet. Create one to start." /> }}
        grid={{ gutter: 16, xs: 1, sm: 1, md: 2, lg: 2, xl: 3 }}
        renderItem={(p) => (
          <List.Item>
            <Card
              title={
                <span>
                  <Tag>{p.key}</Tag>
                  {p.name}
                </span>
              }
              actions={[
                <Link key="tickets" to={`/tickets?project=${p.id}`}>Tickets</Link>,
                <Link key="board" to={`/board?project=${p.id}`}>Board</Link>,
                <Link key="chat" to={`/chat/${p.id}`} aria-label={`Chat in ${p.name}`}>
                  <MessageOutlined /> Chat
                </Link>,
                <Link key="settings" to={`/projects/${p.id}/settings`} aria-label={`Members of ${p.name}`}>
                  <SettingOutlined /> Members
                </Link>,
              ]}
            >
              <Typography.Paragraph className="sb-prewrap" ellipsis={{ rows: 2 }} style={{ minHeight: 44 }}>
                {p.description || <Typography.Text type="secondary">No description</Typography.Text>}
              </Typography.Paragraph>
              <Typography.Text type="secondary">
                {p.member_count} member{p.member_count === 1 ? '' : 's'} · your role: {p.my_role}
              </Typography.Text>
            </Card>
          </List.Item>
        )}
      />
      <CreateProjectModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
