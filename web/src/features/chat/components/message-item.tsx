import { memo, useMemo, useState } from 'react';
import { App, Button, Input, Popconfirm, Space, Tooltip, Typography } from 'antd';
import { CommentOutlined, DeleteOutlined, EditOutlined, EyeInvisibleOutlined, ExclamationCircleOutlined, LinkOutlined, PushpinFilled, PushpinOutlined, ReloadOutlined } from '@ant-design/icons';
import { Markdown } from '@/components/markdown/markdown';
import { UserAvatar } from '@/components/user-avatar';
import { formatDateTime, formatTime } from '@/lib/format';
import { mentionLookupFor, ticketMapFor, type RoomPeople } from '../hooks/mention-lookup';
import { groupReactions } from '../hooks/reactions';
import type { ChatMessage } from '../types';
import { AttachmentView } from './attachment-view';
import { CreateTicketAction } from './create-ticket-from-message';
import { SystemMessage } from './system-message';
import { EditedMarker } from './edit-history';
import { useMessageActions } from './message-extras';
import { ReactionPicker } from './reaction-picker';
import { SeenBy } from './seen-by';
import { ThreadSummary } from './thread-summary';
import { VoicePlayer } from './voice/voice-player';

export interface MessageHandlers {
  onToggleReaction: (m: ChatMessage, emoji: string, reacted: boolean) => void;
  onEdit: (m: ChatMessage, content: string) => Promise<void>;
  onDelete: (m: ChatMessage) => void;
  onRetry: (m: ChatMessage) => void;
  onPin?: (m: ChatMessage, pinned: boolean) => void;
  /** The address of this one message, for "Copy link". */
  linkTo: (m: ChatMessage) => string;
}

interface Props extends MessageHandlers {
  message: ChatMessage;
  myUserId: number | null;
  people: RoomPeople;
  highlighted: boolean;
  /** A follow-up by the same person shortly after: no avatar or name, as in every chat app. */
  compact: boolean;
}

export const MessageItem = memo(function MessageItem({ message: m, myUserId, people, highlighted, compact, ...handlers }: Props) {
  const { message: toast } = App.useApp();
  const [editing, setEditing] = useState<string | null>(null);
  const [armed, setArmed] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const actions = useMessageActions();
  const mine = m.user.id === myUserId;
  const local = m.id <= 0;
  const system = m.type === 'system';
  const groups = groupReactions(m.reactions ?? [], myUserId);
  const name = m.user.display_name || m.user.username;
  const lookup = useMemo(() => mentionLookupFor(people, m), [people, m]);
  // A message that reaches the reader (by name, @room or @here) stands out in the timeline.
  const mentionsMe = !mine && !!m.mentions && (m.mentions.room || m.mentions.here || (myUserId !== null && m.mentions.user_ids.includes(myUserId)));
  const tickets = useMemo(() => ticketMapFor(m), [m]);
  // The toolbar is made the first time someone points at or tabs into the message (a toolbar
  // for each of hundreds of messages would cost more than all their text); CSS shows it on
  // :hover and :focus-within, and while one of its menus is open.
  const showTools = !local && !system && editing === null && armed;
  const arm = () => {
    if (!armed) setArmed(true);
  };

  const saveEdit = async () => {
    if (editing === null) return;
    const text = editing.trim();
    if (!text || text === m.content) {
      setEditing(null);
      return;
    }
    await handlers.onEdit(m, text);
    setEditing(null);
  };

  const copyLink = async () => {
    try {
      await navigator.clipboard.writeText(handlers.linkTo(m));
      toast.success('Link copied');
    } catch {
      toast.info(handlers.linkTo(m));
    }
  };

  if (system) return <SystemMessage message={m} />;

  const fullTime = formatDateTime(m.created_at);
  // A native title, not a Tooltip: one Tooltip per message was a large share of a page's cost.
  const time = (
    <time dateTime={m.created_at} className="sb-msg-time" title={fullTime}>
      {formatTime(m.created_at)}
    </time>
  );

  return (
    <article
      id={m.id > 0 && !actions.inThreadPanel ? `msg-${m.id}` : undefined}
      data-message-id={m.id}
      aria-label={`${name}, ${fullTime}`}
      tabIndex={local ? undefined : -1}
      className={['sb-msg', compact ? 'sb-msg-compact' : '', highlighted ? 'sb-message-highlight' : '', m.is_pinned ? 'sb-msg-pinned' : '', mentionsMe ? 'sb-msg-mentions-me' : '', menuOpen ? 'sb-msg-menu-open' : ''].join(' ')}
      style={{ opacity: m.pending ? 0.6 : 1 }}
      onMouseOver={arm}
      onFocus={arm}
    >
      <div className="sb-msg-gutter">{compact ? <span className="sb-msg-hovertime">{time}</span> : <UserAvatar user={m.user} size={36} />}</div>
      <div style={{ minWidth: 0, flex: 1 }}>
        {!compact && (
          <div className="sb-msg-header">
            <strong className="sb-msg-author">{name}</strong>
            {time}
          </div>
        )}
        {m.thread_root_id && actions.openThread && (
          <button type="button" className="sb-thread-link" onClick={() => actions.openThread?.({ ...m, id: m.thread_root_id!, thread_root_id: null })}>
            <CommentOutlined aria-hidden /> Replied in a thread
          </button>
        )}
        {m.is_deleted && <Typography.Text type="secondary" italic className="sb-msg-deleted">This message was deleted.</Typography.Text>}
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
          m.content && m.type !== 'voice' && (
            <div data-testid="message-content" className={system ? 'sb-msg-system' : undefined}>
              {system ? <span className="sb-prewrap">{m.content}</span> : <Markdown content={m.content} mentionLookup={lookup} tickets={tickets} />}
            </div>
          )
        )}
        {m.type === 'voice' ? <VoicePlayer message={m} /> : <AttachmentView message={m} />}
        {(m.is_edited || m.pending || m.failed || m.is_pinned) && (
          <div className="sb-msg-status">
            {m.is_pinned && (
              <span title={m.pinned_by ? `Pinned by ${m.pinned_by.display_name || m.pinned_by.username}` : undefined}>
                <PushpinFilled aria-hidden /> Pinned
              </span>
            )}
            {m.is_edited && !local && <EditedMarker message={m} />}
            {m.pending && <span>Sending…</span>}
            {m.failed && (
              <Space size={4}>
                <Typography.Text type="danger" style={{ fontSize: 12 }}>
                  <ExclamationCircleOutlined /> Not sent
                </Typography.Text>
                <Button size="small" type="link" icon={<ReloadOutlined />} onClick={() => handlers.onRetry(m)}>
                  Retry
                </Button>
              </Space>
            )}
          </div>
        )}
        {!local && groups.length > 0 && (
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
                  onClick={() => handlers.onToggleReaction(m, g.emoji, g.reactedByMe)}
                >
                  {g.emoji} {g.count}
                </Button>
              </Tooltip>
            ))}
          </Space>
        )}
        {actions.openThread && !m.thread_root_id && <ThreadSummary root={m} onOpen={() => actions.openThread?.(m)} />}
        {mine && <SeenBy message={m} />}
      </div>
      {showTools && (
        <div role="toolbar" aria-label="Message actions" className="sb-msg-toolbar">
          <ReactionPicker
            onOpenChange={setMenuOpen}
            onPick={(e) => handlers.onToggleReaction(m, e, groups.some((g) => g.emoji === e && g.reactedByMe))}
          />
          {actions.openThread && !m.thread_root_id && !m.is_deleted && (
            <Tooltip title="Reply in thread">
              <Button size="small" type="text" icon={<CommentOutlined />} aria-label="Reply in thread" onClick={() => actions.openThread?.(m)} />
            </Tooltip>
          )}
          {actions.markUnread && !mine && (
            <Tooltip title="Mark unread">
              <Button size="small" type="text" icon={<EyeInvisibleOutlined />} aria-label="Mark unread" onClick={() => actions.markUnread?.(m)} />
            </Tooltip>
          )}
          {mine && m.type !== 'voice' && (m.type === 'text' || m.content) && (
            <Tooltip title="Edit">
              <Button size="small" type="text" icon={<EditOutlined />} aria-label="Edit message" onClick={() => setEditing(m.content)} />
            </Tooltip>
          )}
          {handlers.onPin && m.is_pinned !== undefined && (
            <Tooltip title={m.is_pinned ? 'Unpin' : 'Pin'}>
              <Button
                size="small"
                type="text"
                icon={m.is_pinned ? <PushpinFilled /> : <PushpinOutlined />}
                aria-label={m.is_pinned ? 'Unpin message' : 'Pin message'}
                onClick={() => handlers.onPin?.(m, !m.is_pinned)}
              />
            </Tooltip>
          )}
          <Tooltip title="Copy link">
            <Button size="small" type="text" icon={<LinkOutlined />} aria-label="Copy link to message" onClick={() => void copyLink()} />
          </Tooltip>
          <CreateTicketAction message={m} />
          {mine && (
            <Popconfirm title="Delete this message?" okText="Delete" onConfirm={() => handlers.onDelete(m)} onOpenChange={setMenuOpen}>
              <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label="Delete message" />
            </Popconfirm>
          )}
        </div>
      )}
    </article>
  );
});
