import type { ChatParticipant } from '../types';

/** The `@name` being typed just before the cursor: `@` at the start or after a non-word character. */
export function mentionToken(text: string, cursor: number): { start: number; query: string } | null {
  const m = /(^|[^A-Za-z0-9])@([A-Za-z0-9@.+\-_]{0,64})$/.exec(text.slice(0, cursor));
  return m ? { start: m.index + m[1].length, query: m[2] } : null;
}

export interface MentionCandidate {
  /** What is inserted after the `@`. */
  name: string;
  label: string;
  kind: 'user' | 'room' | 'here';
  userId?: number;
}

const GROUPS: MentionCandidate[] = [
  { name: 'room', label: 'Everyone in this room', kind: 'room' },
  { name: 'here', label: 'Everyone online in this room', kind: 'here' },
];

/**
 * The people (and @room/@here) matching what follows the `@`: usernames and display names that
 * start with it first, then those with a word starting with it, then any containing it.
 * The caller is left out (mentioning yourself notifies nobody).
 */
export function mentionCandidates(participants: readonly Pick<ChatParticipant, 'user'>[], query: string, myUserId: number | null, limit = 8): MentionCandidate[] {
  const q = query.toLowerCase();
  const scored: { c: MentionCandidate; score: number }[] = [];
  for (const p of participants) {
    if (p.user.id === myUserId) continue;
    const username = p.user.username.toLowerCase();
    const display = (p.user.display_name || '').toLowerCase();
    const score = rank(q, username, display);
    if (score !== null) scored.push({ c: { name: p.user.username, label: p.user.display_name || p.user.username, kind: 'user', userId: p.user.id }, score });
  }
  scored.sort((a, b) => a.score - b.score || a.c.name.localeCompare(b.c.name));
  const people = scored.map((s) => s.c);
  const groups = GROUPS.filter((g) => g.name.startsWith(q));
  return [...people, ...groups].slice(0, limit);
}

function rank(q: string, username: string, display: string): number | null {
  if (!q) return 0;
  if (username.startsWith(q)) return 0;
  if (display.startsWith(q)) return 1;
  if (display.split(/\s+/).some((w) => w.startsWith(q))) return 2;
  if (username.includes(q) || display.includes(q)) return 3;
  return null;
}

/** Replaces the typed `@query` with the picked name and a space; returns the new text and cursor. */
export function insertMention(text: string, token: { start: number; query: string }, cursor: number, name: string): { value: string; cursor: number } {
  const before = text.slice(0, token.start);
  const after = text.slice(cursor);
  const inserted = `@${name}` + (after.startsWith(' ') ? '' : ' ');
  return { value: before + inserted + after, cursor: before.length + inserted.length };
}

/** Whether the text reaches the whole room (`@room` or `@here` outside code), by the server's rules. */
export function mentionsEveryone(text: string): boolean {
  const withoutCode = text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  return /(^|[^A-Za-z0-9])@(room|here)(?![A-Za-z0-9@+\-_]|\.[A-Za-z0-9])/i.test(withoutCode);
}

/** Rooms above this many people ask before an @room or @here goes out. */
export const CONFIRM_EVERYONE_ABOVE = 5;
