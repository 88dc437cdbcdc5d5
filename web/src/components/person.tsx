import { Avatar, Space, Typography } from 'antd';
import type { User } from '@/types/api';

function initials(u: Pick<User, 'display_name' | 'username'>): string {
  const name = (u.display_name || u.username).trim();
  const parts = name.split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[1][0] : name.slice(0, 2)).toUpperCase();
}

interface Props {
  user: Pick<User, 'id' | 'display_name' | 'username'> & { avatar_url?: string | null };
  /** Avatar size in pixels. */
  size?: number;
  /** Show the name beside the avatar (default true). */
  showName?: boolean;
  secondary?: boolean;
}

/** A person as the app shows them everywhere: avatar and name. */
export function Person({ user, size = 20, showName = true, secondary }: Props) {
  const name = user.display_name || user.username;
  return (
    <Space size={6} style={{ minWidth: 0 }}>
      <Avatar size={size} src={user.avatar_url ?? undefined} alt="" style={{ fontSize: Math.max(9, size * 0.45), flex: 'none' }}>
        {initials(user)}
      </Avatar>
      {showName && (
        <Typography.Text type={secondary ? 'secondary' : undefined} ellipsis style={{ fontSize: size <= 20 ? 12 : undefined }}>
          {name}
        </Typography.Text>
      )}
    </Space>
  );
}
