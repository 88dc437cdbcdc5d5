import { describe, expect, it } from 'vitest';
import { groupReactions, withReaction, withoutReaction } from './reactions';
import type { MessageReaction } from '../types';
import type { User } from '@/types/api';

const user = (id: number, name = `user${id}`): User => ({
  id,
  username: name,
  email: `${name}@x.test`,
  first_name: '',
  last_name: '',
  display_name: name,
});
let rid = 0;
const r = (userId: number, emoji: string, at = '2025-01-01T00:00:00Z'): MessageReaction => ({
  id: ++rid,
  user: user(userId),
  emoji,
  created_at: at,
});

describe('groupReactions', () => {
  it('returns nothing for no reactions', () => {
    expect(groupReactions([], 1)).toEqual([]);
  });

  it('groups by emoji with counts in order of first use', () => {
    const groups = groupReactions(
      [r(1, '👍', '2025-01-01T00:00:01Z'), r(2, '🎉', '2025-01-01T00:00:02Z'), r(3, '👍', '2025-01-01T00:00:03Z')],
      99,
    );
    expect(groups.map((g) => [g.emoji, g.count])).toEqual([
      ['👍', 2],
      ['🎉', 1],
    ]);
    expect(groups[0].users).toEqual(['user1', 'user3']);
  });

  it('orders by time even when the input is not', () => {
    const groups = groupReactions([r(1, '🎉', '2025-01-01T00:00:05Z'), r(2, '👍', '2025-01-01T00:00:01Z')], null);
    expect(groups.map((g) => g.emoji)).toEqual(['👍', '🎉']);
  });

  it('marks the groups the current user reacted with', () => {
    const groups = groupReactions([r(1, '👍'), r(2, '👍'), r(2, '❤️')], 1);
    expect(groups.find((g) => g.emoji === '👍')?.reactedByMe).toBe(true);
    expect(groups.find((g) => g.emoji === '❤️')?.reactedByMe).toBe(false);
  });

  it('counts a user once per emoji even if the data repeats', () => {
    const groups = groupReactions([r(1, '👍'), r(1, '👍')], 1);
    expect(groups).toHaveLength(1);
    expect(groups[0].count).toBe(1);
  });

  it('treats skin-tone variants as different emoji', () => {
    const groups = groupReactions([r(1, '👍'), r(2, '👍🏽')], 1);
    expect(groups).toHaveLength(2);
  });
});

describe('withReaction / withoutReaction', () => {
  it('adds once and removes by user and emoji', () => {
    const a = r(1, '👍');
    let list = withReaction([], a);
    list = withReaction(list, { ...a, id: 500 });
    expect(list).toHaveLength(1);
    list = withReaction(list, r(2, '👍'));
    expect(list).toHaveLength(2);
    list = withoutReaction(list, 1, '👍');
    expect(list.map((x) => x.user.id)).toEqual([2]);
    expect(withoutReaction(list, 2, '🎉')).toHaveLength(1);
  });
});
