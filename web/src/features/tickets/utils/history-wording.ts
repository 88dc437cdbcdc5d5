import { PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL, type HistoryEntry } from '../types';

/** One history entry as a person would say it: "changed the status from Open to In progress". */
export interface HistorySentence {
  /** What the actor did, without the actor's name. */
  text: string;
  /** Text quoted under the sentence (a comment's body, a long description). */
  quote?: string;
}

export interface WordingOptions {
  /** The server names people by username; the page may know their display names. */
  personName?: (username: string) => string;
  /** Who made the change: assigning oneself reads "assigned it to themselves". */
  actorUsername?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-12-05" → "5 Dec 2026"; the same in every locale, and never shifted by the time zone. */
export function formatDueDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : value;
}

function label(map: Record<string, string>, value: string): string {
  return map[value] ?? value.replace(/_/g, ' ');
}

function splitLabels(value: string | null): string[] {
  return value ? value.split(',').map((l) => l.trim()).filter(Boolean) : [];
}

function list(items: string[]): string {
  const quoted = items.map((i) => `“${i}”`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

function changed(what: string, from: string | null, to: string | null, show: (v: string) => string = (v) => v): string {
  if (from === null && to !== null) return `set ${what} to ${show(to)}`;
  if (from !== null && to === null) return `removed ${what} (was ${show(from)})`;
  return `changed ${what} from ${show(from ?? '')} to ${show(to ?? '')}`;
}

export function describeHistory(entry: Pick<HistoryEntry, 'field' | 'old_value' | 'new_value'>, opts: WordingOptions = {}): HistorySentence {
  const { field, old_value: from, new_value: to } = entry;
  const name = opts.personName ?? ((u: string) => u);
  const person = (u: string) => (u === opts.actorUsername ? 'themselves' : name(u));
  switch (field) {
    case 'created':
      return { text: 'created the ticket' };
    case 'status':
      return { text: `changed status from ${label(STATUS_LABEL, from ?? '')} to ${label(STATUS_LABEL, to ?? '')}` };
    case 'priority':
      return { text: `changed priority from ${label(PRIORITY_LABEL, from ?? '')} to ${label(PRIORITY_LABEL, to ?? '')}` };
    case 'type':
      return { text: `changed the type from ${label(TYPE_LABEL, from ?? '')} to ${label(TYPE_LABEL, to ?? '')}` };
    case 'assignee':
      if (to === null) return { text: from ? `unassigned ${person(from)}` : 'unassigned it' };
      if (from === null) return { text: `assigned it to ${person(to)}` };
      return { text: `reassigned it from ${person(from)} to ${person(to)}` };
    case 'title':
      return { text: `renamed it from “${from ?? ''}” to “${to ?? ''}”` };
    case 'description':
      if (!to) return { text: 'removed the description' };
      return { text: from ? 'edited the description' : 'added a description', quote: to };
    case 'due_date':
      return { text: changed('the due date', from, to, formatDueDate) };
    case 'labels': {
      const before = splitLabels(from);
      const after = splitLabels(to);
      const added = after.filter((l) => !before.includes(l));
      const removed = before.filter((l) => !after.includes(l));
      const parts: string[] = [];
      if (added.length) parts.push(`added the label${added.length > 1 ? 's' : ''} ${list(added)}`);
      if (removed.length) parts.push(`removed the label${removed.length > 1 ? 's' : ''} ${list(removed)}`);
      return { text: parts.length ? parts.join(' and ') : 'changed the labels' };
    }
    case 'comment':
      if (from === null) return { text: 'commented', quote: to ?? undefined };
      if (to === null) return { text: 'deleted a comment' };
      return { text: 'edited a comment', quote: to };
    case 'attachment':
      if (from === null) return { text: `attached ${to ?? 'a file'}` };
      return { text: `removed the attachment ${from}` };
    default: {
      // A field this client does not know yet: still readable, never a raw snake_case name.
      const what = `the ${field.replace(/_/g, ' ')}`;
      return { text: changed(what, from, to) };
    }
  }
}
