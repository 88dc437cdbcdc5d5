import { useState } from 'react';
import { App, Button, Drawer, List, Popconfirm, Select, Space, Typography } from 'antd';
import { Person } from '@/components/person';
import { errorMessage } from '@/lib/api-client';
import { useMembers, userLabel } from '@/lib/shared-queries';
import { useParticipantMutations } from '../api/chat';
import type { ChatRoom } from '../types';

interface Props {
  room: ChatRoom;
  open: boolean;
  myUserId: number;
  canManage: boolean;
  onClose: () => void;
  onLeft: () => void;
}

export function ParticipantsDrawer({ room, open, myUserId, canManage, onClose, onLeft }: Props) {
  const members = useMembers(open ? room.project : null);
  const { add, remove } = useParticipantMutations(room);
  const { message } = App.useApp();
  const [pick, setPick] = useState<number | null>(null);
  const inRoom = new Set(room.participants.map((p) => p.user.id));
  const isGroup = room.type === 'group';
  const manage = isGroup && (canManage || room.created_by?.id === myUserId);

  return (
    <Drawer open={open} onClose={onClose} title={`People in ${room.display_name}`} size={360} closable={{ 'aria-label': 'Close participants' }}>
      {manage && (
        <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
          <Select
            aria-label="Add a participant"
            placeholder="Add a project member"
            style={{ flex: 1 }}
            value={pick ?? undefined}
            onChange={(v: number) => setPick(v)}
            showSearch={{ optionFilterProp: 'label' }}
            options={(members.data ?? []).filter((m) => !inRoom.has(m.user.id)).map((m) => ({ value: m.user.id, label: userLabel(m.user) }))}
          />
          <Button
            type="primary"
            disabled={!pick}
            loading={add.isPending}
            onClick={async () => {
              if (!pick) return;
              try {
                await add.mutateAsync(pick);
                setPick(null);
              } catch (err) {
                message.error(errorMessage(err));
              }
            }}
          >
            Add
          </Button>
        </Space.Compact>
      )}
      <List
        dataSource={room.participants}
        renderItem={(p) => {
          const me = p.user.id === myUserId;
          return (
            <List.Item
              actions={
                isGroup && (manage || me)
                  ? [
                      <Popconfirm
                        key="rm"
                        title={me ? 'Leave this room?' : `Remove ${p.user.username}?`}
                        onConfirm={async () => {
                          try {
                            await remove.mutateAsync(p.user.id);
                            if (me) onLeft();
                          } catch (err) {
                            message.error(errorMessage(err));
                          }
                        }}
                      >
                        <Button size="small" danger>
                          {me ? 'Leave' : 'Remove'}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta title={<Person user={p.user} size={28} label={userLabel(p.user) + (me ? ' (you)' : '')} />} />
            </List.Item>
          );
        }}
      />
      {!isGroup && <Typography.Text type="secondary">Direct conversations always have exactly two people.</Typography.Text>}
    </Drawer>
  );
}
