import { Alert, App, Button, Card, List, Popconfirm, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import { DesktopOutlined } from '@ant-design/icons';
import { errorMessage, tokens } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useEndSession, useLogoutAll, useSessions, type Session } from '../api/sessions';
import { describeUserAgent } from '../utils/user-agent';

/** The person's signed-in sessions: end one, or all of them at once. */
export function SessionsList() {
  const sessions = useSessions();
  const end = useEndSession();
  const logoutAll = useLogoutAll();
  const { message } = App.useApp();
  // Without tokens the app shows the sign-in page, which says why (see the login route).

  const endOne = async (s: Session) => {
    if (s.current) tokens.expectEnd('signed_out');
    try {
      await end.mutateAsync(s.id);
      if (s.current) tokens.clear('signed_out');
      else message.success(`Signed out ${describeUserAgent(s.user_agent)}`);
    } catch (err) {
      tokens.expectEnd(null);
      message.error(errorMessage(err));
    }
  };

  const endAll = async () => {
    // This socket is closed (4401) as soon as the server has ended the sessions, maybe before the answer.
    tokens.expectEnd('signed_out_everywhere');
    try {
      await logoutAll.mutateAsync();
      tokens.clear('signed_out_everywhere');
    } catch (err) {
      tokens.expectEnd(null);
      message.error(errorMessage(err));
    }
  };

  const list = sessions.data ?? [];
  return (
    <Card
      title={<span id="sessions-title">Where you are signed in</span>}
      extra={
        <Popconfirm
          title="Sign out everywhere?"
          description="Every session ends, this one included."
          okText="Sign out everywhere"
          onConfirm={endAll}
        >
          <Button danger loading={logoutAll.isPending}>
            Sign out everywhere
          </Button>
        </Popconfirm>
      }
    >
      {sessions.isError && <Alert type="error" title={errorMessage(sessions.error)} />}
      {sessions.isLoading ? (
        <Skeleton active />
      ) : (
        <List
          aria-labelledby="sessions-title"
          dataSource={list}
          locale={{ emptyText: 'No sessions' }}
          renderItem={(s) => {
            const device = describeUserAgent(s.user_agent);
            return (
              <List.Item
                aria-label={`${device}${s.current ? ' (this session)' : ''}`}
                actions={[
                  <Popconfirm
                    key="end"
                    title={s.current ? 'Sign out of this session?' : `Sign out ${device}?`}
                    okText="Sign out"
                    onConfirm={() => endOne(s)}
                  >
                    <Button size="small" aria-label={s.current ? 'Sign out of this session' : `Sign out ${device}, session ${s.id}`}>
                      Sign out
                    </Button>
                  </Popconfirm>,
                ]}
              >
                <List.Item.Meta
                  avatar={<DesktopOutlined aria-hidden style={{ fontSize: 20, marginTop: 4 }} />}
                  title={
                    <Space size={8} wrap>
                      <Tooltip title={s.user_agent || undefined}>
                        <span>{device}</span>
                      </Tooltip>
                      {s.current && <Tag color="green">This session</Tag>}
                    </Space>
                  }
                  description={
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {[s.ip ? `IP ${s.ip}` : null, `signed in ${formatDateTime(s.created_at)}`, s.last_used_at ? `last active ${formatDateTime(s.last_used_at)}` : null]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography.Text>
                  }
                />
              </List.Item>
            );
          }}
        />
      )}
    </Card>
  );
}
