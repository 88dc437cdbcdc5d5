import { Loading } from '@/components/loading';
import { lazy, Suspense, useCallback, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Dropdown, Layout, Menu, Tooltip, Typography } from 'antd';
import { IdcardOutlined, LogoutOutlined, PlusOutlined, SafetyOutlined, SnippetsOutlined, UserOutlined } from '@ant-design/icons';
import { ErrorBoundary } from '@/components/error-boundary';
import { useAuth } from '@/lib/auth/auth-context';
import { ImageViewerHost } from '@/features/chat/components/image-viewer';
import { useChatLive } from '@/features/chat/hooks/use-chat-live';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { useCreateShortcut } from '@/features/tickets/hooks/use-create-shortcut';
import { useTicketsLive } from '@/features/tickets/hooks/use-tickets-live';
import { useTicketRefsLive } from '@/lib/ticket-refs/live';

// Loaded on first use: the form and selects are not needed to show a page.
const CreateTicketModal = lazy(() =>
  import('@/features/tickets/components/create-ticket-modal').then((m) => ({ default: m.CreateTicketModal })),
);

const NAV = [
  { key: '/projects', label: 'Projects' },
  { key: '/tickets', label: 'Tickets' },
  { key: '/board', label: 'Board' },
  { key: '/chat', label: 'Chat' },
];

export function AppLayout() {
  const { user, signOut } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [createLoaded, setCreateLoaded] = useState(false);
  const openCreate = useCallback(() => {
    setCreateLoaded(true);
    setCreating(true);
  }, []);
  useCreateShortcut(openCreate);
  // The user socket's frames reach the caches wherever the person is in the app.
  useChatLive();
  useTicketsLive();
  useTicketRefsLive();

  const selected = NAV.find((n) => location.pathname.startsWith(n.key))?.key;
  const projectFromUrl = Number(params.get('project')) || Number(location.pathname.match(/^\/chat\/(\d+)/)?.[1]) || null;
  const projectParam = projectFromUrl ? `?project=${projectFromUrl}` : '';

  return (
    <Layout style={{ minHeight: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '0 12px', background: '#001529' }}>
        <Link to="/projects" style={{ color: '#fff', fontWeight: 600, fontSize: 18, marginRight: 8 }}>
          Switchboard
        </Link>
        <nav aria-label="Main" style={{ flex: 1, minWidth: 0 }}>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={selected ? [selected] : []}
            items={NAV.map((n) => ({
              key: n.key,
              label: <Link to={n.key === '/projects' ? n.key : n.key === '/chat' && projectFromUrl ? `/chat/${projectFromUrl}` : n.key + projectParam}>{n.label}</Link>,
            }))}
            style={{ minWidth: 0, flex: 1 }}
          />
        </nav>
        <Tooltip title="Create ticket (c or Alt+N)">
          <Button type="primary" icon={<PlusOutlined />} onClick={openCreate} aria-label="Create ticket" aria-keyshortcuts="c Alt+N">
            <span className="sb-hide-mobile">Create</span>
          </Button>
        </Tooltip>
        <NotificationBell />
        <Dropdown
          menu={{
            items: [
              { key: 'who', label: <Typography.Text type="secondary">{user?.username ?? '…'}</Typography.Text>, disabled: true },
              { type: 'divider' },
              { key: 'profile', icon: <IdcardOutlined />, label: 'Profile' },
              { key: 'templates', icon: <SnippetsOutlined />, label: 'Templates' },
              { key: 'sessions', icon: <SafetyOutlined />, label: 'Sessions and password' },
              { type: 'divider' },
              { key: 'signout', icon: <LogoutOutlined />, label: 'Sign out' },
            ],
            onClick: ({ key }) => {
              if (key === 'profile' || key === 'templates') navigate(`/${key}`);
              if (key === 'sessions') navigate('/account/sessions');
              if (key === 'signout') {
                void signOut();
                navigate('/login');
              }
            },
          }}
          trigger={['click']}
        >
          <Button shape="circle" icon={<UserOutlined />} aria-label="Account menu" />
        </Dropdown>
      </Layout.Header>
      <Layout.Content style={{ minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        <Suspense
          fallback={
            <div style={{ padding: 48, textAlign: 'center' }}>
              <Loading label="Loading" />
            </div>
          }
        >
          <ErrorBoundary resetKey={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </Suspense>
      </Layout.Content>
      <ImageViewerHost />
      {createLoaded && (
        <Suspense fallback={null}>
          <CreateTicketModal open={creating} onClose={() => setCreating(false)} defaultProjectId={projectFromUrl} />
        </Suspense>
      )}
    </Layout>
  );
}
