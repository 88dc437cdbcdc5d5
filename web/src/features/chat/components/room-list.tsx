import { Loading } from '@/components/loading';
import { Badge, Button, Empty, Space, Typography } from 'antd';
import { CommentOutlined, TeamOutlined, UsergroupAddOutlined, MessageOutlined } from '@ant-design/icons';
import { PersonAvatar } from '@/components/person';
import { usePresence } from '@/lib/realtime/realtime-context';
import type { ChatMessage, ChatRoom } from '../types';

function preview(m: ChatMessage | null, myUserId: number | null): string {
  if (!m) return 'No messages yet';
  const who = m.user.id === myUserId ? 'You' : m.user.display_name || m.user.username;
  const body = m.content || (m.type === 'image' ? '🖼 Image' : m.attachment_name ? `📎 ${m.attachment_name}` : '');
  return `${who}: ${body}`;
}

interface Props {
  rooms: ChatRoom[];
  loading: boolean;
  activeRoomId: number | null;
  myUserId: number | null;
  onOpen: (room: ChatRoom) => void;
  onNewGroup: () => void;
  onNewDirect: () => void;
  /** The "Threads" view across rooms, and how many followed threads have unread replies. */
  onOpenThreads?: () => void;
  threadsActive?: boolean;
  threadsUnread?: number;
}

export function RoomList({ rooms, loading, activeRoomId, myUserId, onOpen, onNewGroup, onNewDirect, onOpenThreads, threadsActive, threadsUnread = 0 }: Props) {
  return (
    <nav aria-label="Chat rooms" style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <Space style={{ padding: 8 }} wrap>
        <Button size="small" icon={<UsergroupAddOutlined />} onClick={onNewGroup}>
          New group
        </Button>
        <Button size="small" icon={<MessageOutlined />} onClick={onNewDirect}>
          New direct message
        </Button>
      </Space>
      {onOpenThreads && (
        <button type="button" className="sb-threads-entry" onClick={onOpenThreads} aria-current={threadsActive ? 'page' : undefined} data-testid="threads-entry">
          <CommentOutlined aria-hidden /> <span style={{ flex: 1 }}>Threads</span>
          {threadsUnread > 0 && (
            <>
              <Badge count={threadsUnread} overflowCount={99} aria-hidden />
              <span className="sb-visually-hidden">, {threadsUnread} unread</span>
            </>
          )}
        </button>
      )}
      {loading && <Loading style={{ margin: 16 }} label="Loading rooms" />}
      {!loading && rooms.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No rooms yet" />}
      <ul style={{ listStyle: 'none', margin: 0, padding: 0, overflowY: 'auto', flex: 1 }}>
        {rooms.map((r) => (
          <RoomItem key={r.id} room={r} active={r.id === activeRoomId} myUserId={myUserId} onOpen={onOpen} />
        ))}
      </ul>
    </nav>
  );
}

function RoomItem({ room: r, active, myUserId, onOpen }: { room: ChatRoom; active: boolean; myUserId: number | null; onOpen: (room: ChatRoom) => void }) {
  const other = r.type === 'direct' ? r.participants.find((p) => p.user.id !== myUserId)?.user : undefined;
  const presence = usePresence(other?.id);
  const unread = active ? 0 : r.unread_count;
  const mentions = active ? 0 : (r.mention_count ?? 0);
  const threads = r.unread_thread_count ?? 0;
  // Said after the visible name (not an aria-label, which would have to repeat all the visible text).
  const extra = [
    unread ? `${unread} unread` : null,
    mentions ? `${mentions} mention${mentions > 1 ? 's' : ''}` : null,
    threads ? `${threads} unread thread${threads > 1 ? 's' : ''}` : null,
    presence ? presence : null,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <li>
      <button
        type="button"
        onClick={() => onOpen(r)}
        aria-current={active ? 'page' : undefined}
        data-room-id={r.id}
        style={{
          all: 'unset',
          boxSizing: 'border-box',
          display: 'flex',
          gap: 8,
          width: '100%',
          padding: '8px 12px',
          cursor: 'pointer',
          background: active ? '#e6f4ff' : undefined,
          borderLeft: active ? '3px solid #1677ff' : '3px solid transparent',
        }}
      >
        <span aria-hidden style={{ paddingTop: 2 }}>
          {other ? <PersonAvatar user={other} size={20} /> : <TeamOutlined />}
        </span>
        <span style={{ flex: 1, minWidth: 0 }}>
          <span style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <Typography.Text strong={unread > 0} ellipsis>
              {r.display_name}
              {extra && <span className="sb-visually-hidden">, {extra}</span>}
            </Typography.Text>
            <span style={{ display: 'flex', gap: 4, flex: 'none' }}>
              {threads > 0 && (
                <span className="sb-thread-dot" aria-hidden title={`${threads} unread thread${threads > 1 ? 's' : ''}`} data-testid="thread-badge">
                  <CommentOutlined /> {threads}
                </span>
              )}
              {mentions > 0 && <Badge count={`@${mentions > 99 ? '99+' : mentions}`} color="#cf1322" aria-hidden data-testid="mention-badge" />}
              {unread > 0 && <Badge count={unread} overflowCount={99} aria-hidden data-testid="unread-badge" />}
            </span>
          </span>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
            {preview(r.last_message, myUserId)}
          </Typography.Text>
        </span>
      </button>
    </li>
  );
}
