import { memo, useMemo, useState } from 'react';
import { Avatar, Button, Input, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, ExclamationCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { Markdown } from '@/components/markdown/markdown';
import { formatDateTime, formatTime } from '@/lib/format';
import { mentionLookupFor, ticketMapFor, type RoomPeople } from '../hooks/mention-lookup';
import { groupReactions } from '../hooks/reactions';
import type { ChatMessage } from '../types';
import { AttachmentView } from './attachment-view';
import { ReactionPicker } from './reaction-picker';

interface Props {
  message: ChatMessage;
  myUserId: number | null;
  people: RoomPeople;
  highlighted: boolean;
  onToggleReaction: (m: ChatMessage, emoji: string, reacted: boolean) => void;
  onEdit: (m: ChatMessage, content: string) => Promise<void>;
  onDelete: (m: ChatMessage) => void;
  onRetry: (m: ChatMessage) => void;
}

function initials(name: string) {
  return name.slice(0, 2).toUpperCase();
}

export const MessageItem = memo(function MessageItem({ message: m, myUserId, people, highlighted, onToggleReaction, onEdit, onDelete, onRetry }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const mine = m.user.id === myUserId;
  const local = m.id <= 0;
  const groups = groupReactions(m.reactions ?? [], myUserId);
  const name = m.user.display_name || m.user.username;
  const lookup = useMemo(() => mentionLookupFor(people, m), [people, m]);
  const tickets = useMemo(() => ticketMapFor(m), [m]);

  const saveEdit = async () => {
    if (editing === null) return;
    const text = editing.trim();
    if (!text || text === m.content) {
      setEditing(null);
      return;
    }
    await onEdit(m, text);
    setEditing(null);
  };

  return (
    <article
      id={m.id > 0 ? `msg-${m.id}` : undefined}
      data-message-id={m.id}
      aria-label={`Message from ${name}`}
      className={highlighted ? 'sb-message-highlight' : undefined}
      style={{ display: 'flex', gap: 10, padding: '6px 12px', opacity: m.pending ? 0.6 : 1 }}
    >
      <Avatar size="small" style={{ flex: 'none', background: '#7265e6' }} aria-hidden>
        {initials(name)}
      </Avatar>
      <div style={{ minWidth: 0, flex: 1 }}>
        <Space size={6} wrap style={{ rowGap: 0 }}>
          <Typography.Text strong>{name}</Typography.Text>
          <Tooltip title={formatDateTime(m.created_at)}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              <time dateTime={m.created_at}>{formatTime(m.created_at)}</time>
            </Typography.Text>
          </Tooltip>
          {m.is_edited && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              (edited)
            </Typography.Text>
          )}
          {m.pending && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              Sending…
            </Typography.Text>
          )}
          {m.failed && (
            <Space size={4}>
              <Typography.Text type="danger" style={{ fontSize: 12 }}>
                <ExclamationCircleOutlined /> Not sent
              </Typography.Text>
              <Button size="small" type="link" icon={<ReloadOutlined />} onClick={() => onRetry(m)}>
                Retry
              </Button>
            </Space>
          )}
        </Space>
        {editing !== null ? (
          <div style={{ marginTop: 4 }}>
            <Input.TextArea
              aria-label="Edit message text"
              value={editing}
              autoFocus
              autoSize={{ minRows: 1, maxRows: 8 }}
              onChange={(e) => setEditing(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void saveEdit();
                } else if (e.key === 'Escape') setEditing(null);
              }}
            />
            <Space style={{ marginTop: 4 }}>
              <Button size="small" type="primary" onClick={() => void saveEdit()}>
                Save
              </Button>
              <Button size="small" onClick={() => setEditing(null)}>
                Cancel
              </Button>
            </Space>
          </div>
        ) : (
          m.content && (
            <div data-testid="message-content">
              {m.type === 'system' || m.type === 'voice' ? <span className="sb-prewrap">{m.content}</span> : <Markdown content={m.content} mentionLookup={lookup} tickets={tickets} />}
            </div>
          )
        )}
        <AttachmentView message={m} />
        {!local && (
          <Space size={4} wrap style={{ marginTop: 4 }}>
            {groups.map((g) => (
              <Tooltip key={g.emoji} title={g.users.join(', ')}>
                <Button
                  size="small"
                  shape="round"
                  type={g.reactedByMe ? 'primary' : 'default'}
                  ghost={g.reactedByMe}
                  aria-pressed={g.reactedByMe}
                  aria-label={`${g.emoji} ${g.count}${g.reactedByMe ? ', you reacted' : ''}`}
                  onClick={() => onToggleReaction(m, g.emoji, g.reactedByMe)}
                >
                  {g.emoji} {g.count}
                </Button>
              </Tooltip>
            ))}
            <ReactionPicker onPick={(e) => onToggleReaction(m, e, groups.some((g) => g.emoji === e && g.reactedByMe))} />
            {mine && editing === null && (
              <>
                {m.type === 'text' || m.content ? (
                  <Button size="small" type="text" icon={<EditOutlined />} aria-label="Edit message" onClick={() => setEditing(m.content)} />
                ) : null}
                <Popconfirm title="Delete this message?" okText="Delete" onConfirm={() => onDelete(m)}>
                  <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="Delete message" />
                </Popconfirm>
              </>
            )}
          </Space>
        )}
      </div>
    </article>
  );
});
