import { describe, expect, it } from 'vitest';
import { insertMention, mentionCandidates, mentionsEveryone, mentionToken } from './mention-autocomplete';
import { timeAgo, repliesLabel } from './relative-time';

const person = (id: number, username: string, display_name = username) => ({ user: { id, username, display_name, email: '', first_name: '', last_name: '' } });
const people = [person(1, 'me'), person(2, 'ana', 'Ana Lima'), person(3, 'bob.smith', 'Bob Smith'), person(4, 'dan', 'Daniel Anders'), person(5, 'zed', 'Zed')];

describe('mentionToken', () => {
  it('finds the @name being typed at the cursor, not an email address', () => {
    expect(mentionToken('hi @an', 6)).toEqual({ start: 3, query: 'an' });
    expect(mentionToken('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionToken('(@bob.s', 7)).toEqual({ start: 1, query: 'bob.s' });
    expect(mentionToken('mail ana@example.com', 20)).toBeNull();
    expect(mentionToken('hi @an and more', 15)).toBeNull();
    expect(mentionToken('hi @an and more', 6)).toEqual({ start: 3, query: 'an' });
  });
});

describe('mentionCandidates', () => {
  it('ranks username starts first, then display names, then words and substrings; never the writer', () => {
    expect(mentionCandidates(people, 'an', 1).map((c) => c.name)).toEqual(['ana', 'dan']);
    expect(mentionCandidates(people, 'smi', 1).map((c) => c.name)).toEqual(['bob.smith']);
    expect(mentionCandidates(people, 'me', 1).map((c) => c.name)).toEqual([]);
    expect(mentionCandidates(people, 'DANIEL', 1).map((c) => c.name)).toEqual(['dan']);
  });

  it('offers @room and @here after the people, and everything for a bare @', () => {
    expect(mentionCandidates(people, 'ro', 1).map((c) => c.name)).toEqual(['room']);
    expect(mentionCandidates(people, 'h', 1).map((c) => c.name)).toEqual(['bob.smith', 'here']);
    expect(mentionCandidates(people, '', 1).map((c) => c.name)).toEqual(['ana', 'bob.smith', 'dan', 'zed', 'room', 'here']);
    expect(mentionCandidates(people, '', 1, 3)).toHaveLength(3);
  });
});

describe('insertMention', () => {
  it('replaces the typed @query with the name and one space, keeping the rest', () => {
    expect(insertMention('hi @an', { start: 3, query: 'an' }, 6, 'ana')).toEqual({ value: 'hi @ana ', cursor: 8 });
    expect(insertMention('hi @an there', { start: 3, query: 'an' }, 6, 'ana')).toEqual({ value: 'hi @ana there', cursor: 7 });
  });
});

describe('mentionsEveryone', () => {
  it('sees @room and @here outside code only, and not inside words or addresses', () => {
    expect(mentionsEveryone('@room please')).toBe(true);
    expect(mentionsEveryone('ping @here.')).toBe(true);
    expect(mentionsEveryone('`@room` is how')).toBe(false);
    expect(mentionsEveryone('```\n@here\n```')).toBe(false);
    expect(mentionsEveryone('mail x@room.com')).toBe(false);
    expect(mentionsEveryone('@roommate')).toBe(false);
  });
});

describe('timeAgo', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('says how long ago in words a person reads at a glance', () => {
    expect(timeAgo('2026-11-30T11:59:30Z', now)).toBe('just now');
    expect(timeAgo('2026-11-30T11:58:00Z', now)).toBe('2 min ago');
    expect(timeAgo('2026-11-30T09:00:00Z', now)).toBe('3 h ago');
    expect(timeAgo('2026-11-29T10:00:00Z', now)).toBe('yesterday');
    expect(timeAgo('2026-11-26T12:00:00Z', now)).toBe('4 days ago');
    expect(timeAgo(null, now)).toBe('');
    expect(repliesLabel(1)).toBe('1 reply');
    expect(repliesLabel(3)).toBe('3 replies');
  });
});
