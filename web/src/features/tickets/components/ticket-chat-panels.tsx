import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App, Button, Empty, List, Select, Space, Typography } from 'antd';
import { MessageOutlined } from '@ant-design/icons';
import { UserAvatar } from '@/components/user-avatar';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format';
import { chatHref, excerpt, useProjectRooms, useRoomName, useStartDiscussion, useTicketMentions } from '../api/chat-links';
import type { Ticket } from '../types';

/**
 * "Discussed in": the chat thread that is also this ticket's comments, with a link that opens
 * it beside its room; without one, "Start discussion" in a room the reader picks.
 */
export function TicketDiscussion({ ticket, canWrite }: { ticket: Ticket; canWrite: boolean }) {
  const rooms = useProjectRooms(ticket.project);
  const discussion = ticket.discussion ?? null;
  const listed = discussion ? rooms.data?.find((r) => r.id === discussion.room) : undefined;
  const fetched = useRoomName(discussion?.room ?? null, !!discussion && !!rooms.data && !listed);
  const room = listed ?? fetched.data ?? null;
  const start = useStartDiscussion(ticket);
  const { message } = App.useApp();
  const [picked, setPicked] = useState<number | null>(null);

  const source = ticket.source_message ?? null;
  const sourceRoom = source ? rooms.data?.find((r) => r.id === source.room) : undefined;

  return (
    <section aria-label="Discussed in">
      <Typography.Title level={5}>Discussed in</Typography.Title>
      {discussion ? (
        room ? (
          <Space orientation="vertical" size={4}>
            <span>
              <MessageOutlined aria-hidden /> A thread in <strong>{room.display_name}</strong>
            </span>
            <Link to={chatHref(ticket.project, discussion.room, { thread: discussion.root_id })}>Open the thread in chat</Link>
            <Typography.Text type="secondary">Replies there are comments here, and comments here are replies there.</Typography.Text>
          </Space>
        ) : (
          <Typography.Text type="secondary">A thread in a room you are not in. Its replies show here as comments.</Typography.Text>
        )
      ) : canWrite ? (
        <Space.Compact style={{ width: '100%' }}>
          <Select
            aria-label="Room for the discussion"
            placeholder="Pick a room"
            style={{ flex: 1, minWidth: 0 }}
            loading={rooms.isLoading}
            value={picked}
            onChange={setPicked}
            options={(rooms.data ?? []).map((r) => ({ value: r.id, label: r.display_name }))}
            notFoundContent="You are in no room of this project."
          />
          <Button
            type="primary"
            disabled={!picked}
            loading={start.isPending}
            onClick={() =>
              picked &&
              start.mutateAsync(picked).then(
                () => message.success('Discussion started'),
                (err) => message.error(errorMessage(err)),
              )
            }
          >
            Start discussion
          </Button>
        </Space.Compact>
      ) : (
        <Typography.Text type="secondary">Not discussed in chat yet.</Typography.Text>
      )}
      {source && (
        <div style={{ marginTop: 8 }}>
          {sourceRoom ? (
            <Link to={chatHref(ticket.project, source.room, { message: source.id })}>Made from a message in {sourceRoom.display_name}</Link>
          ) : (
            <Typography.Text type="secondary">Made from a chat message.</Typography.Text>
          )}
        </div>
      )}
    </section>
  );
}

/** "Mentioned in chat": messages the reader may see that reference this ticket, newest first. */
export function TicketMentions({ ticket }: { ticket: Ticket }) {
  const mentions = useTicketMentions(ticket.id);
  const rooms = useProjectRooms(ticket.project);
  const names = new Map((rooms.data ?? []).map((r) => [r.id, r.display_name]));
  const items = mentions.data?.results ?? [];
  const more = (mentions.data?.count ?? 0) - items.length;
  return (
    <section aria-label="Mentioned in chat">
      <Typography.Title level={5}>Mentioned in chat</Typography.Title>
      {mentions.isError ? (
        <Typography.Text type="danger">{errorMessage(mentions.error)}</Typography.Text>
      ) : items.length === 0 && !mentions.isLoading ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="No message mentions it yet." />
      ) : (
        <List
          size="small"
          loading={mentions.isLoading}
          dataSource={items}
          renderItem={(m) => (
            <List.Item>
              <Link to={chatHref(ticket.project, m.room, m.thread_root_id ? { thread: m.thread_root_id } : { message: m.id })} className="sb-ticket-mention-link">
                <UserAvatar user={m.user} size={20} />
                <span style={{ minWidth: 0 }}>
                  <span className="sb-ticket-mention-meta">
                    <strong>{m.user.display_name || m.user.username}</strong> in {names.get(m.room) ?? 'a room'} · <time dateTime={m.created_at}>{formatDateTime(m.created_at)}</time>
                  </span>
                  <span className="sb-ticket-mention-text">{excerpt(m.content)}</span>
                </span>
              </Link>
            </List.Item>
          )}
        />
      )}
      {more > 0 && <Typography.Text type="secondary">and {more} more</Typography.Text>}
    </section>
  );
}
