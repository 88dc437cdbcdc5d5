import { Person } from '@/components/person';
import { useState } from 'react';
import { App, Button, Input, List, Popconfirm, Space, Typography } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import { formatDateTime } from '@/lib/format';
import { userLabel } from '@/lib/shared-queries';
import { useCommentMutations, useComments } from '../api/tickets';

export function TicketComments({ ticketId }: { ticketId: number }) {
  const comments = useComments(ticketId);
  const { add, edit, remove } = useCommentMutations(ticketId);
  const { user } = useAuth();
  const { message } = App.useApp();
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<{ id: number; body: string } | null>(null);

  const post = async () => {
    if (!draft.trim()) return;
    try {
      await add.mutateAsync(draft.trim());
      setDraft('');
    } catch (err) {
      message.error(errorMessage(err));
    }
  };

  return (
    <section aria-label="Comments">
      <Typography.Title level={4}>Comments</Typography.Title>
      <List
        loading={comments.isLoading}
        dataSource={comments.data ?? []}
        locale={{ emptyText: 'No comments yet' }}
        renderItem={(c) => {
          const mine = c.author.id === user?.id;
          return (
            <List.Item
              actions={
                mine
                  ? [
                      <Button key="e" type="link" size="small" onClick={() => setEditing({ id: c.id, body: c.body })} aria-label="Edit comment">
                        Edit
                      </Button>,
                      <Popconfirm key="d" title="Delete this comment?" onConfirm={() => remove.mutateAsync(c.id).catch((e) => message.error(errorMessage(e)))}>
                        <Button type="link" size="small" danger aria-label="Delete comment">
                          Delete
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <Space size="small" wrap>
                    <Person user={c.author} label={userLabel(c.author)} size={24} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatDateTime(c.created_at)}
                      {c.is_edited ? ' · edited' : ''}
                    </Typography.Text>
                  </Space>
                }
                description={
                  editing?.id === c.id ? (
                    <Space orientation="vertical" style={{ width: '100%' }}>
                      <Input.TextArea aria-label="Edit comment text" value={editing.body} onChange={(e) => setEditing({ id: c.id, body: e.target.value })} autoSize={{ minRows: 2 }} />
                      <Space>
                        <Button
                          size="small"
                          type="primary"
                          onClick={async () => {
                            try {
                              await edit.mutateAsync({ id: c.id, body: editing.body.trim() });
                              setEditing(null);
                            } catch (err) {
                              message.error(errorMessage(err));
                            }
                          }}
                        >
                          Save
                        </Button>
                        <Button size="small" onClick={() => setEditing(null)}>
                          Cancel
                        </Button>
                      </Space>
                    </Space>
                  ) : (
                    <div className="sb-prewrap" style={{ color: 'rgba(0,0,0,0.88)' }}>
                      {c.body}
                    </div>
                  )
                }
              />
            </List.Item>
          );
        }}
      />
      <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
        <Input.TextArea
          aria-label="Comment"
          placeholder="Write a comment"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          autoSize={{ minRows: 2, maxRows: 8 }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void post();
          }}
        />
        <Button type="primary" onClick={post} loading={add.isPending} disabled={!draft.trim()}>
          Add comment
        </Button>
      </Space>
    </section>
  );
}
