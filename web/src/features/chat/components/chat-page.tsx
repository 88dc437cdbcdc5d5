import { Loading } from '@/components/loading';
import { useState } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Button, Checkbox, Empty, Grid, Input, Select, Space, Typography } from 'antd';
import { ArrowLeftOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons';
import { api } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import { useProjects } from '@/lib/shared-queries';
import { chatKeys, useRooms } from '../api/chat';
import { useUnreadTitle } from '../hooks/use-unread-title';
import type { ChatMessage, ChatRoom } from '../types';
import { CreateRoomModal } from './create-room-modal';
import { ParticipantsDrawer } from './participants-drawer';
import { RoomList } from './room-list';
import { RoomSettingsDrawer } from './room-settings-drawer';
import { RoomView } from './room-view';
import { CallBar } from '@/features/calls/components/call-bar';
import { SearchDrawer } from './search-drawer';
import { ThreadsView } from './threads-view';

export function ChatPage() {
  const params = useParams();
  const projectId = Number(params.projectId) || null;
  const roomId = Number(params.roomId) || null;
  const [search] = useSearchParams();
  const highlightId = Number(search.get('m')) || null;
  const threadId = Number(search.get('thread')) || null;
  const showThreads = search.get('view') === 'threads';
  const navigate = useNavigate();
  const { user } = useAuth();
  const projects = useProjects();
  const rooms = useRooms(projectId);
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const [creating, setCreating] = useState<'group' | 'direct' | null>(null);
  const [peopleOpen, setPeopleOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [thisRoomOnly, setThisRoomOnly] = useState(false);

  const listed = rooms.data?.find((r) => r.id === roomId);
  const detail = useQuery({
    queryKey: chatKeys.room(roomId ?? 0),
    queryFn: () => api<ChatRoom>(`/api/chat/rooms/${roomId}/`),
    enabled: !!roomId && !!rooms.data && !listed,
  });
  const activeRoom = listed ?? detail.data ?? null;
  const project = projects.data?.find((p) => p.id === projectId);
  const totalUnread = (rooms.data ?? []).reduce((n, r) => n + (r.id === roomId ? 0 : r.unread_count), 0);
  useUnreadTitle(totalUnread);

  if (!projectId) {
    if (projects.isLoading) return <Loading style={{ margin: 48 }} label="Loading projects" />;
    const first = projects.data?.[0];
    if (first) return <Navigate to={`/chat/${first.id}`} replace />;
    return <Empty style={{ margin: 48 }} description="Create or join a project to chat." />;
  }
  if (!user) return <Loading style={{ margin: 48 }} label="Loading" />;

  const openRoom = (r: ChatRoom, messageId?: number) => {
    navigate(`/chat/${r.project}/${r.id}${messageId ? `?m=${messageId}` : ''}`);
  };

  const setThread = (rootId: number | null) => {
    const next = new URLSearchParams(search);
    if (rootId) next.set('thread', String(rootId));
    else next.delete('thread');
    next.delete('view');
    navigate({ search: next.toString() ? `?${next}` : '' }, { replace: !!rootId === !!threadId });
  };
  const threadsUnread = (rooms.data ?? []).reduce((n, r) => n + (r.unread_thread_count ?? 0), 0);

  const openResult = (m: ChatMessage) => {
    setQuery('');
    const r = rooms.data?.find((x) => x.id === m.room);
    navigate(`/chat/${r?.project ?? projectId}/${m.room}?m=${m.id}`);
  };

  const roomList = (
    <RoomList
      rooms={rooms.data ?? []}
      loading={rooms.isLoading}
      activeRoomId={roomId}
      myUserId={user.id}
      onOpen={(r) => openRoom(r)}
      onOpenThreads={() => navigate(`/chat/${projectId}${roomId ? `/${roomId}` : ''}?view=threads`)}
      threadsActive={showThreads}
      threadsUnread={threadsUnread}
      onNewGroup={() => setCreating('group')}
      onNewDirect={() => setCreating('direct')}
    />
  );

  const showListInline = mobile && !roomId && !showThreads;

  return (
    // The chat fills the window below the app bar and never scrolls as a whole: only the room
    // list and the message list scroll, each inside its own pane.
    <div className="sb-chat-page">
      <header style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '8px 12px', borderBottom: '1px solid #f0f0f0', background: '#fff', flexWrap: 'wrap' }}>
        {mobile && roomId && (
          // On a phone the rooms and the room are two screens: this goes back to the rooms.
          <Button icon={<ArrowLeftOutlined />} aria-label={`Back to rooms${totalUnread ? `, ${totalUnread} unread` : ''}`} onClick={() => navigate(`/chat/${projectId}`)} />
        )}
        <Select
          aria-label="Project"
          size="middle"
          style={{ width: mobile ? 120 : 200 }}
          value={projectId}
          onChange={(id: number) => navigate(`/chat/${id}`)}
          options={(projects.data ?? []).map((p) => ({ value: p.id, label: mobile ? p.key : `${p.key} · ${p.name}` }))}
        />
        <Typography.Title level={4} style={{ margin: 0, flex: 1, minWidth: 80 }} ellipsis>
          {activeRoom ? activeRoom.display_name : project ? `${project.name} chat` : 'Chat'}
        </Typography.Title>
        {activeRoom && <CallBar roomId={activeRoom.id} compact={mobile} />}
        {activeRoom && (
          <Button icon={<TeamOutlined />} onClick={() => setPeopleOpen(true)} aria-label={`Participants: ${activeRoom.participants.length}`}>
            {!mobile && `${activeRoom.participants.length}`}
          </Button>
        )}
        {activeRoom && <Button icon={<SettingOutlined />} onClick={() => setSettingsOpen(true)} aria-label="Room settings" />}
        <Space.Compact>
          <Input.Search
            aria-label="Search messages"
            placeholder="Search messages"
            allowClear
            style={{ width: mobile ? 160 : 240 }}
            onSearch={(v) => setQuery(v.trim())}
          />
        </Space.Compact>
        {activeRoom && !mobile && (
          <Checkbox checked={thisRoomOnly} onChange={(e) => setThisRoomOnly(e.target.checked)}>
            This room only
          </Checkbox>
        )}
      </header>
      <div style={{ display: 'flex', flex: 1, minHeight: 0 }}>
        {!mobile && <aside style={{ width: 280, borderRight: '1px solid #f0f0f0', background: '#fff', flex: 'none', minHeight: 0 }}>{roomList}</aside>}
        {showListInline ? (
          <div style={{ flex: 1, minHeight: 0, background: '#fff' }}>{roomList}</div>
        ) : (
          <main style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0, background: '#fff' }}>
            {showThreads ? (
              <ThreadsView
                onOpen={(r, rootId) => navigate(`/chat/${r.project}/${r.id}?thread=${rootId}`)}
                onClose={() => navigate(`/chat/${projectId}${roomId ? `/${roomId}` : ''}`)}
              />
            ) : activeRoom ? (
              <RoomView key={activeRoom.id} room={activeRoom} me={user} highlightId={highlightId} threadId={threadId} onThreadChange={setThread} />
            ) : roomId && (detail.isLoading || rooms.isLoading) ? (
              <Loading style={{ margin: 48 }} label="Loading room" />
            ) : (
              <Empty style={{ margin: 48 }} description={roomId ? 'This room is not available.' : 'Pick a room or start a conversation.'} />
            )}
          </main>
        )}
      </div>
      <CreateRoomModal
        mode={creating}
        projectId={projectId}
        myUserId={user.id}
        onClose={() => setCreating(null)}
        onCreated={(r) => {
          setCreating(null);
          openRoom(r);
        }}
      />
      {activeRoom && (
        <ParticipantsDrawer
          room={activeRoom}
          open={peopleOpen}
          myUserId={user.id}
          canManage={project?.my_role === 'owner' || project?.my_role === 'admin'}
          onClose={() => setPeopleOpen(false)}
          onLeft={() => {
            setPeopleOpen(false);
            navigate(`/chat/${projectId}`);
          }}
        />
      )}
      {activeRoom && <RoomSettingsDrawer room={activeRoom} project={project} open={settingsOpen} onClose={() => setSettingsOpen(false)} />}
      <SearchDrawer query={query} roomId={thisRoomOnly ? roomId : null} rooms={rooms.data ?? []} onClose={() => setQuery('')} onOpenResult={openResult} />
    </div>
  );
}
