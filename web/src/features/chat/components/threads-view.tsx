import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Empty, Spin, Typography } from 'antd';
import { CloseOutlined } from '@ant-design/icons';
import { api, errorMessage } from '@/lib/api-client';
import { UserAvatar } from '@/components/user-avatar';
import { chatKeys } from '../api/chat';
import { useThreadList } from '../api/threads';
import { repliesLabel, timeAgo } from '../utils/relative-time';
import type { ChatRoom } from '../types';

/** A room as the caller sees it: from a cached room list when there is one, else fetched once. */
function useRoomInfo(roomId: number) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: chatKeys.room(roomId),
    queryFn: () => api<ChatRoom>(`/api/chat/rooms/${roomId}/`),
    initialData: () => {
      for (const [, rooms] of qc.getQueriesData<ChatRoom[]>({ queryKey: chatKeys.allRooms() })) {
        const found = Array.isArray(rooms) ? rooms.find((r) => r.id === roomId) : undefined;
        if (found) return found;
      }
      return undefined;
    },
    staleTime: 60_000,
  });
}

function RoomName({ roomId }: { roomId: number }) {
  const room = useRoomInfo(roomId);
  return <>{room.data?.display_name ?? 'Room'}</>;
}

interface Props {
  onOpen: (room: ChatRoom, rootId: number) => void;
  onClose: () => void;
}

/** Every thread across the caller's rooms: unread ones first, then by latest reply. */
export function ThreadsView({ onOpen, onClose }: Props) {
  const qc = useQueryClient();
  const list = useThreadList(null);

  const open = async (roomId: number, rootId: number) => {
    const room = await qc.fetchQuery({ queryKey: chatKeys.room(roomId), queryFn: () => api<ChatRoom>(`/api/chat/rooms/${roomId}/`), staleTime: 60_000 });
    onOpen(room, rootId);
  };

  return (
    <section className="sb-threads-view" aria-labelledby="threads-title">
      <header className="sb-thread-header">
        <Typography.Title level={2} id="threads-title" style={{ margin: 0, fontSize: 18, flex: 1 }}>
          Threads
        </Typography.Title>
        <Button size="small" type="text" icon={<CloseOutlined />} aria-label="Close threads" onClick={onClose} />
      </header>
      {list.isError && <Alert type="error" banner title={errorMessage(list.error)} />}
      {list.isLoading && <Spin style={{ margin: 24 }} aria-label="Loading threads" />}
      {list.data && list.data.length === 0 && <Empty style={{ margin: 32 }} description="No threads yet. Reply to a message to start one." />}
      <ul className="sb-threads-list">
        {list.data?.map(({ root, unread }) => (
          <li key={root.id}>
            <button type="button" className={`sb-threads-item${unread ? ' sb-threads-unread' : ''}`} onClick={() => void open(root.room, root.id)} data-thread-id={root.id}>
              <span className="sb-threads-meta">
                <Typography.Text strong={unread}>
                  <RoomName roomId={root.room} />
                </Typography.Text>
                {unread && <Badge status="processing" text="Unread" />}
              </span>
              <span className="sb-threads-root">
                <UserAvatar user={root.user} size={20} /> <strong>{root.user.display_name || root.user.username}</strong>: {root.is_deleted ? 'This message was deleted.' : root.content.slice(0, 200)}
              </span>
              <span className="sb-threads-meta">
                {repliesLabel(root.reply_count ?? 0)}
                {root.last_reply_at && `, last reply ${timeAgo(root.last_reply_at)}`}
                {root.is_following && ' · following'}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
