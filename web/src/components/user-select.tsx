import { useEffect, useMemo, useRef, useState } from 'react';
import { Select, Spin } from 'antd';
import type { User } from '@/types/api';
import { UserAvatar } from '@/components/user-avatar';
import { searchUsers, userLabel } from '@/lib/shared-queries';

interface Props {
  value?: number | null;
  onChange?: (id: number | null, user: User | null) => void;
  /** Restrict the choice to these users (e.g. project members) instead of searching the server. */
  options?: User[];
  exclude?: number[];
  placeholder?: string;
  ariaLabel: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
}

function withAvatar(user: User | undefined | null, label: React.ReactNode) {
  if (!user) return label;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, maxWidth: '100%' }}>
      <UserAvatar user={user} size={18} />
      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{label}</span>
    </span>
  );
}

/** Picks one user, searching /api/users/ as you type (or filtering a given list). */
export function UserSelect({ value, onChange, options, exclude = [], placeholder, ariaLabel, allowClear, style, id }: Props) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<User[]>([]);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    if (options) return;
    const q = query.trim();
    if (!q) {
      setFound([]);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    const t = setTimeout(() => {
      searchUsers(q)
        .then((users) => mine === seq.current && setFound(users))
        .catch(() => mine === seq.current && setFound([]))
        .finally(() => mine === seq.current && setLoading(false));
    }, 250);
    return () => clearTimeout(t);
  }, [query, options]);

  const pool = options ?? found;
  const list = useMemo(() => pool.filter((u) => !exclude.includes(u.id)), [pool, exclude]);

  return (
    <Select<number>
      id={id}
      showSearch={{
        filterOption: options ? (input, opt) => String(opt?.label ?? '').toLowerCase().includes(input.toLowerCase()) : false,
        onSearch: options ? undefined : setQuery,
      }}
      aria-label={ariaLabel}
      value={value ?? undefined}
      placeholder={placeholder ?? 'Search people'}
      allowClear={allowClear}
      notFoundContent={loading ? <Spin size="small" /> : query || options ? 'No one found' : 'Type to search'}
      options={list.map((u) => ({ value: u.id, label: userLabel(u) }))}
      optionRender={(opt) => withAvatar(pool.find((u) => u.id === opt.value), opt.label)}
      labelRender={(opt) => withAvatar(pool.find((u) => u.id === opt.value), opt.label)}
      onChange={(id) => onChange?.(id ?? null, pool.find((u) => u.id === id) ?? null)}
      style={{ minWidth: 200, ...style }}
    />
  );
}
