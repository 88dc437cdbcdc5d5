import { Badge, Space, Typography } from 'antd';
import { UserAvatar } from '@/components/user-avatar';
import { usePresence } from '@/lib/realtime/realtime-context';
import type { PresenceStatus } from '@/lib/realtime/frames';
import type { User } from '@/types/api';

const PRESENCE_COLOR: Record<PresenceStatus, string> = { online: '#389e0d', away: '#d48806', offline: '#8c8c8c' };
const PRESENCE_TEXT: Record<PresenceStatus, string> = { online: 'online', away: 'away', offline: 'offline' };

/** The avatar with a dot for online / away / offline (no dot while not known). */
export function PersonAvatar({ user, size = 20 }: { user: Props['user']; size?: number }) {
  const status = usePresence(user.id);
  const avatar = <UserAvatar user={user} size={size} />;
  if (!status) return avatar;
  return (
    <Badge dot color={PRESENCE_COLOR[status]} offset={[-2, size - 4]} title={PRESENCE_TEXT[status]} data-presence={status}>
      {avatar}
    </Badge>
  );
}

/** The status as words for screen readers, e.g. "(online)". */
export function PresenceText({ userId }: { userId: number }) {
  const status = usePresence(userId);
  return status ? <span className="sb-visually-hidden"> ({PRESENCE_TEXT[status]})</span> : null;
}


interface Props {
  user: Pick<User, 'id' | 'display_name' | 'username'> & { avatar_url?: string | null };
  /** Avatar size in pixels. */
  size?: number;
  /** Show the name beside the avatar (default true). */
  showName?: boolean;
  secondary?: boolean;
}

/** A person as the app shows them everywhere: avatar with presence, and name. */
export function Person({ user, size = 20, showName = true, secondary, label }: Props & { label?: string }) {
  const name = label ?? (user.display_name || user.username);
  return (
    <Space size={6} style={{ minWidth: 0 }}>
      <PersonAvatar user={user} size={size} />
      {showName && (
        <Typography.Text type={secondary ? 'secondary' : undefined} ellipsis style={{ fontSize: size <= 20 ? 12 : undefined }}>
          {name}
          <PresenceText userId={user.id} />
        </Typography.Text>
      )}
    </Space>
  );
}
