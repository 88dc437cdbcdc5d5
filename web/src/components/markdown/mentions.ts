import type { Element, ElementContent, Root, Text } from 'hast';
import { visitParents } from 'unist-util-visit-parents';

export type MentionKind = 'user' | 'room' | 'here';

export interface MentionTarget {
  kind: MentionKind;
  /** What the chip says after the @: the username as the server spells it. */
  name: string;
  /** A longer label for the tooltip (a person's display name). */
  title?: string;
  isMe?: boolean;
}

export interface TicketRef {
  key: string;
  title: string;
  status?: string;
  /** With an id (as messages carry it) the reference becomes a live chip. */
  id?: number;
  priority?: string;
  assignee?: { id: number; username: string; display_name: string; avatar_url?: string | null } | null;
}

export type Segment = { text: string } | { mention: MentionTarget; text: string } | { ticket: TicketRef; text: string };

const NAME_CHAR = /[A-Za-z0-9@.+\-_]/;
const WORD_CHAR = /[A-Za-z0-9]/;
const TICKET_KEY = /(^|[^A-Za-z0-9_-])([A-Z][A-Z0-9]{1,9}-[0-9]+)(?![A-Za-z0-9_])/g;

/**
 * Splits text into plain runs, mentions and ticket keys, by the server's rules: `@` not after a
 * letter or digit, then the longest run of username characters that names someone (so a
 * sentence's final `.` stays punctuation); `@room` and `@here` are the whole room.
 */
export function splitMentions(text: string, lookup: (lowerName: string) => MentionTarget | null, tickets?: ReadonlyMap<string, TicketRef>): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  const pushPlain = () => {
    if (plain) out.push(...splitTickets(plain, tickets));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '@' && (i === 0 || !WORD_CHAR.test(text[i - 1]))) {
      let end = i + 1;
      while (end < text.length && NAME_CHAR.test(text[end])) end++;
      const run = text.slice(i + 1, end);
      const found = matchRun(run, lookup);
      if (found) {
        pushPlain();
        out.push({ mention: found.target, text: '@' + run.slice(0, found.length) });
        i += found.length;
        continue;
      }
    }
    plain += ch;
  }
  pushPlain();
  return out;
}

function matchRun(run: string, lookup: (lowerName: string) => MentionTarget | null) {
  const bare = run.replace(/\.+$/, '').toLowerCase();
  if (bare === 'room' || bare === 'here') return { target: { kind: bare, name: bare } as MentionTarget, length: bare.length };
  for (let len = run.length; len > 0; len--) {
    const target = lookup(run.slice(0, len).toLowerCase());
    if (target) return { target, length: len };
  }
  return null;
}

function splitTickets(text: string, tickets?: ReadonlyMap<string, TicketRef>): Segment[] {
  if (!tickets || tickets.size === 0) return [{ text }];
  const out: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(TICKET_KEY)) {
    const ticket = tickets.get(m[2]);
    if (!ticket) continue;
    const start = m.index + m[1].length;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ ticket, text: m[2] });
    last = start + m[2].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

const SKIP = new Set(['code', 'pre', 'a']);

export interface ChipOptions {
  lookup?: (lowerName: string) => MentionTarget | null;
  tickets?: ReadonlyMap<string, TicketRef>;
}

/**
 * Rehype plugin run after the sanitizer: it only splits text nodes and wraps pieces in elements
 * of its own (never inside code or links), so it adds no way in for markup.
 */
export function rehypeChips(options: ChipOptions) {
  const lookup = options.lookup ?? (() => null);
  return (tree: Root) => {
    if (!options.lookup && !options.tickets?.size) return;
    const jobs: { parent: Root | Element; node: Text }[] = [];
    visitParents(tree, 'text', (node, ancestors) => {
      if (ancestors.some((a) => a.type === 'element' && SKIP.has(a.tagName))) return;
      if (!node.value.includes('@') && !(options.tickets?.size && /[A-Z0-9]-[0-9]/.test(node.value))) return;
      jobs.push({ parent: ancestors[ancestors.length - 1] as Root | Element, node });
    });
    for (const { parent, node } of jobs) {
      const segments = splitMentions(node.value, lookup, options.tickets);
      if (segments.length === 1 && !('mention' in segments[0]) && !('ticket' in segments[0])) continue;
      const index = parent.children.indexOf(node as ElementContent);
      parent.children.splice(index, 1, ...segments.map(toNode));
    }
  };
}

function toNode(s: Segment): ElementContent {
  if ('mention' in s) {
    return {
      type: 'element',
      tagName: 'span',
      properties: { className: ['sb-mention', ...(s.mention.isMe ? ['sb-mention-me'] : [])], dataMention: s.mention.kind, title: s.mention.title },
      children: [{ type: 'text', value: s.text }],
    };
  }
  if ('ticket' in s) {
    return {
      type: 'element',
      tagName: 'a',
      properties: { href: `/tickets/${s.ticket.key}`, className: ['sb-ticket-chip'], dataTicket: s.ticket.key, title: s.ticket.title },
      children: [{ type: 'text', value: s.text }],
    };
  }
  return { type: 'text', value: s.text };
}
