import type { MessageReaction } from '../types';

export interface ReactionGroup {
  emoji: string;
  count: number;
  reactedByMe: boolean;
  /** Display names of who reacted, in order. */
  users: string[];
}

/** Groups reactions by emoji, in order of each emoji's first use; one user counts once per emoji. */
export function groupReactions(reactions: readonly MessageReaction[], myUserId: number | null | undefined): ReactionGroup[] {
  const groups = new Map<string, ReactionGroup & { ids: Set<number> }>();
  const sorted = [...reactions].sort((a, b) => cmpTime(a.created_at, b.created_at) || a.id - b.id);
  for (const r of sorted) {
    let g = groups.get(r.emoji);
    if (!g) {
      g = { emoji: r.emoji, count: 0, reactedByMe: false, users: [], ids: new Set() };
      groups.set(r.emoji, g);
    }
    if (g.ids.has(r.user.id)) continue;
    g.ids.add(r.user.id);
    g.count += 1;
    g.users.push(r.user.display_name || r.user.username);
    if (myUserId != null && r.user.id === myUserId) g.reactedByMe = true;
  }
  return [...groups.values()].map(({ ids: _ids, ...g }) => g);
}

function cmpTime(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return 0;
  return ta - tb;
}

/** Adds a reaction unless that user already has that emoji on the message. */
export function withReaction(reactions: readonly MessageReaction[], reaction: MessageReaction): MessageReaction[] {
  if (reactions.some((r) => r.user.id === reaction.user.id && r.emoji === reaction.emoji)) return [...reactions];
  return [...reactions, reaction];
}

export function withoutReaction(reactions: readonly MessageReaction[], userId: number, emoji: string): MessageReaction[] {
  return reactions.filter((r) => !(r.user.id === userId && r.emoji === emoji));
}
