import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App, Button, Card, Form, Input, List, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { Person } from '@/components/person';
import { UserSelect } from '@/components/user-select';
import { errorMessage } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import { useMembers, useProject, userLabel } from '@/lib/shared-queries';
import { ROLES, type Role } from '@/types/project';
import { useMemberMutations, useUpdateProject } from '../api/projects';

export function ProjectMembers({ projectId }: { projectId: number }) {
  const project = useProject(projectId);
  const members = useMembers(projectId);
  const { add, setRole, remove } = useMemberMutations(projectId);
  const update = useUpdateProject(projectId);
  const { user } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [newUser, setNewUser] = useState<number | null>(null);
  const [newRole, setNewRole] = useState<Role>('member');

  const myRole = project.data?.my_role;
  const canManage = myRole === 'owner' || myRole === 'admin';
  const run = async (p: Promise<unknown>, ok: string) => {
    try {
      await p;
      message.success(ok);
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  if (project.isError) return <Typography.Text type="danger">{errorMessage(project.error)}</Typography.Text>;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {project.data ? (
          <>
            <Tag>{project.data.key}</Tag>
            {project.data.name}
          </>
        ) : (
          'Project'
        )}
      </Typography.Title>
      {project.data && canManage && (
        <Card title="Details" size="small">
          <Form
            layout="vertical"
            initialValues={{ name: project.data.name, description: project.data.description }}
            onFinish={(v: { name: string; description: string }) => run(update.mutateAsync(v), 'Saved')}
          >
            <Form.Item label="Name" name="name" rules={[{ required: true, whitespace: true }]}>
              <Input />
            </Form.Item>
            <Form.Item label="Description" name="description">
              <Input.TextArea rows={2} />
            </Form.Item>
            <Button htmlType="submit" loading={update.isPending}>
              Save details
            </Button>
          </Form>
        </Card>
      )}
      <Card title="Members" size="small">
        {canManage && (
          <Space wrap style={{ marginBottom: 16 }}>
            <UserSelect
              ariaLabel="Find a person to add"
              value={newUser}
              onChange={(id) => setNewUser(id)}
              exclude={(members.data ?? []).map((m) => m.user.id)}
              style={{ width: 260 }}
            />
            <Select<Role> aria-label="Role for new member" value={newRole} onChange={setNewRole} options={ROLES.map((r) => ({ value: r, label: r }))} style={{ width: 120 }} />
            <Button
              type="primary"
              disabled={!newUser}
              loading={add.isPending}
              onClick={() => newUser && run(add.mutateAsync({ user_id: newUser, role: newRole }).then(() => setNewUser(null)), 'Member added')}
            >
              Add member
            </Button>
          </Space>
        )}
        <List
          loading={members.isLoading}
          dataSource={members.data ?? []}
          renderItem={(m) => {
            const isMe = m.user.id === user?.id;
            return (
              <List.Item
                actions={[
                  canManage && !isMe ? (
                    <Select<Role>
                      key="role"
                      aria-label={`Role of ${m.user.username}`}
                      value={m.role}
                      onChange={(role) => run(setRole.mutateAsync({ user_id: m.user.id, role }), 'Role changed')}
                      options={ROLES.map((r) => ({ value: r, label: r }))}
                      style={{ width: 110 }}
                    />
                  ) : (
                    <Tag key="role">{m.role}</Tag>
                  ),
                  (canManage || isMe) && (
                    <Popconfirm
                      key="remove"
                      title={isMe ? 'Leave this project?' : `Remove ${m.user.username}?`}
                      onConfirm={() =>
                        run(
                          remove.mutateAsync(m.user.id).then(() => isMe && navigate('/projects')),
                          isMe ? 'You left the project' : 'Member removed',
                        )
                      }
                    >
                      <Button danger size="small">
                        {isMe ? 'Leave' : 'Remove'}
                      </Button>
                    </Popconfirm>
                  ),
                ].filter(Boolean)}
              >
                <List.Item.Meta title={<Person user={m.user} size={28} label={userLabel(m.user)} />} description={m.user.email} />
              </List.Item>
            );
          }}
        />
      </Card>
    </Space>
  );
}
