import { useEffect, useState } from 'react';
import { App, Button, Checkbox, Drawer, Popconfirm, Space, Typography } from 'antd';
import { errorMessage } from '@/lib/api-client';
import type { Project } from '@/types/project';
import { FEED_EVENTS, useTicketFeed, useTicketFeedMutations, type FeedEvent } from '../api/ticket-links';
import type { ChatRoom } from '../types';

const EVENT_LABEL: Record<FeedEvent, string> = {
  created: 'New tickets',
  status_changed: 'Status changes',
  assigned: 'Assignments',
  commented: 'Comments',
};

interface Props {
  room: ChatRoom;
  project: Project | undefined;
  open: boolean;
  onClose: () => void;
}

/** A room's settings: for now, the project ticket events it follows as system messages. */
export function RoomSettingsDrawer({ room, project, open, onClose }: Props) {
  return (
    <Drawer open={open} onClose={onClose} title={`Settings of ${room.display_name}`} size={380} closable={{ 'aria-label': 'Close room settings' }} destroyOnHidden>
      <TicketFeedSettings room={room} project={project} />
    </Drawer>
  );
}

export function TicketFeedSettings({ room, project }: { room: ChatRoom; project: Project | undefined }) {
  const feed = useTicketFeed(room.id);
  const { save, stop } = useTicketFeedMutations(room.id);
  const { message } = App.useApp();
  const [events, setEvents] = useState<FeedEvent[]>(['created', 'status_changed']);
  const canChange = project?.my_role !== 'viewer';
  const current = feed.data ?? null;

  useEffect(() => {
    if (current) setEvents(current.events);
  }, [current]);

  const key = project?.key ?? 'this project';
  return (
    <section aria-labelledby={`feed-${room.id}`}>
      <Typography.Title level={5} id={`feed-${room.id}`}>
        Ticket feed
      </Typography.Title>
      <Typography.Paragraph>
        {current
          ? `This room follows ${key}: ${current.events.map((e) => EVENT_LABEL[e] ?? e).join(', ')}. Each shows here as a system message.`
          : `The room can follow ${key}'s tickets: chosen events show here as system messages.`}
      </Typography.Paragraph>
      <Checkbox.Group
        aria-label="Ticket events to post"
        value={events}
        disabled={!canChange}
        onChange={(v) => setEvents(v as FeedEvent[])}
        options={FEED_EVENTS.map((e) => ({ value: e, label: EVENT_LABEL[e] }))}
        style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
      />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={!canChange || events.length === 0}
          loading={save.isPending}
          onClick={() =>
            save.mutateAsync({ project: room.project, events }).then(
              () => message.success(`Following ${key}`),
              (err) => message.error(errorMessage(err)),
            )
          }
        >
          {current ? 'Save feed' : 'Follow tickets'}
        </Button>
        {current && (
          <Popconfirm title="Stop posting ticket events here?" okText="Stop" onConfirm={() => stop.mutateAsync().catch((err) => message.error(errorMessage(err)))}>
            <Button danger disabled={!canChange} loading={stop.isPending}>
              Stop feed
            </Button>
          </Popconfirm>
        )}
      </Space>
      {!canChange && <Typography.Paragraph type="secondary">Viewers can't change the feed.</Typography.Paragraph>}
    </section>
  );
}
