import { useState } from 'react';
import type { User } from '@/types/api';

// Dark enough behind white initials for 4.5:1 contrast.
const COLOURS = ['#7a3db8', '#1f5fa8', '#0f6e5f', '#a33a1a', '#8a2d6b', '#3b5b0b', '#5b4a9e', '#98420e'];

function initials(u: Pick<User, 'display_name' | 'username'>) {
  const name = (u.display_name || u.username).trim();
  const parts = name.split(/\s+/).filter(Boolean);
  return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : name.slice(0, 2)).toUpperCase();
}

/**
 * A person's picture, or their initials on a colour of their own when they have none. A plain
 * element rather than Ant Design's Avatar, which measures its text on every mount: a page of
 * messages has hundreds of these.
 */
export function UserAvatar({ user, size = 32 }: { user: Pick<User, 'id' | 'display_name' | 'username' | 'avatar_url'>; size?: number }) {
  const [broken, setBroken] = useState(false);
  const src = !broken && user.avatar_url ? user.avatar_url : undefined;
  const box = { width: size, height: size, borderRadius: '50%', flex: 'none' as const };
  if (src) return <img src={src} alt="" aria-hidden width={size} height={size} style={{ ...box, objectFit: 'cover' }} onError={() => setBroken(true)} />;
  return (
    <span
      aria-hidden
      style={{ ...box, display: 'inline-flex', alignItems: 'center', justifyContent: 'center', background: COLOURS[Math.abs(user.id) % COLOURS.length], color: '#fff', fontSize: Math.round(size * 0.4), fontWeight: 600, lineHeight: 1 }}
    >
      {initials(user)}
    </span>
  );
}
