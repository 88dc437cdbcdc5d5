import { Loading } from '@/components/loading';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Drawer, Empty, Typography } from 'antd';
import { PushpinFilled } from '@ant-design/icons';
import { Markdown } from '@/components/markdown/markdown';
import { UserAvatar } from '@/components/user-avatar';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { useRoomPins } from '../api/chat';
import type { ChatMessage, ChatRoom } from '../types';

function firstLine(m: ChatMessage) {
  const text = m.content.split('\n').find((l) => l.trim()) ?? m.attachment_name ?? '';
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** The bar at the top of a room: the newest pin, and the way to all of them. */
export function PinnedBar({ room, onUnpin }: { room: ChatRoom; onUnpin: (m: ChatMessage) => void }) {
  const pins = useRoomPins(room.id);
  const [open, setOpen] = useState(false);
  const list = pins.data ?? [];
  if (list.length === 0) return null;
  const latest = list[0];
  const href = (m: ChatMessage) => `/chat/${room.project}/${room.id}?m=${m.id}`;
  return (
    <>
      <div className="sb-pinned-bar" role="region" aria-label="Pinned messages">
        <PushpinFilled aria-hidden style={{ color: '#ad6800' }} />
        <Link to={href(latest)} className="sb-pinned-bar-text" aria-label={`Go to the latest pinned message: ${firstLine(latest)}`}>
          {/* The excerpt is the author's text, shown as text. */}
          {firstLine(latest)}
        </Link>
        <Button size="small" onClick={() => setOpen(true)}>
          {list.length === 1 ? '1 pinned' : `${list.length} pinned`}
        </Button>
      </div>
      <Drawer title="Pinned messages" open={open} onClose={() => setOpen(false)} size={420} closable={{ 'aria-label': 'Close pinned messages' }}>
        {pins.isLoading && <Loading label="Loading pins" />}
        {pins.isError && <Alert type="error" title={errorMessage(pins.error)} />}
        {!pins.isLoading && list.length === 0 && <Empty description="Nothing pinned" />}
        <ul style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label="Pins, newest first">
          {list.map((m) => (
            <li key={m.id} style={{ display: 'flex', gap: 10, padding: '10px 0', borderBottom: '1px solid #f0f0f0' }}>
              <UserAvatar user={m.user} size={28} />
              <div style={{ minWidth: 0, flex: 1 }}>
                <Typography.Text strong>{m.user.display_name || m.user.username}</Typography.Text>{' '}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {formatDateTime(m.created_at)}
                </Typography.Text>
                <Markdown content={m.content || m.attachment_name || ''} />
                <div style={{ display: 'flex', gap: 8, marginTop: 4 }}>
                  <Link to={href(m)} onClick={() => setOpen(false)} aria-label={`Jump to the message: ${firstLine(m)}`}>
                    Jump
                  </Link>
                  <Button size="small" type="link" style={{ padding: 0, height: 'auto' }} onClick={() => onUnpin(m)} aria-label={`Unpin: ${firstLine(m)}`}>
                    Unpin
                  </Button>
                  {m.pinned_by && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      pinned by {m.pinned_by.display_name || m.pinned_by.username}
                    </Typography.Text>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ul>
      </Drawer>
    </>
  );
}
