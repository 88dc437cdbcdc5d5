import { Drawer, List, Typography } from 'antd';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useMessageSearch } from '../api/chat';
import type { ChatMessage, ChatRoom } from '../types';

interface Props {
  query: string;
  roomId: number | null;
  rooms: ChatRoom[];
  onClose: () => void;
  onOpenResult: (m: ChatMessage) => void;
}

export function SearchDrawer({ query, roomId, rooms, onClose, onOpenResult }: Props) {
  const search = useMessageSearch(query, roomId);
  const roomName = (id: number) => rooms.find((r) => r.id === id)?.display_name ?? `Room ${id}`;
  return (
    <Drawer open={!!query} onClose={onClose} title={`Search results for “${query}”`} size={400} closable={{ 'aria-label': 'Close search results' }}>
      {search.isError && <Typography.Text type="danger">{errorMessage(search.error)}</Typography.Text>}
      {search.data && (
        <Typography.Text type="secondary">
          {search.data.count} result{search.data.count === 1 ? '' : 's'}
        </Typography.Text>
      )}
      <List
        loading={search.isLoading}
        dataSource={search.data?.results ?? []}
        aria-label="Search results"
        renderItem={(m) => (
          <List.Item>
            <button
              type="button"
              onClick={() => onOpenResult(m)}
              style={{ all: 'unset', cursor: 'pointer', display: 'block', width: '100%' }}
            >
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {roomName(m.room)} · {m.user.display_name || m.user.username} · {formatDateTime(m.created_at)}
              </Typography.Text>
              <div className="sb-prewrap">{m.content || m.attachment_name}</div>
            </button>
          </List.Item>
        )}
      />
    </Drawer>
  );
}
