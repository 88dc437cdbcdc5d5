/** What is being typed just before the cursor that asks for ticket suggestions. */
export interface TicketToken {
  /** Where the token starts (the `#`, or the key's first letter): the part a pick replaces. */
  start: number;
  /** The words to search for (after `#`), or the key with the digits typed so far (`SUP-4`). */
  query: string;
  /** The project whose key was typed, else null (then the room's project is searched). */
  projectKey: string | null;
}

const HASH = /(^|[\s(])#([A-Za-z0-9][A-Za-z0-9_-]{0,39}|)$/;
const KEY_PREFIX = /(^|[\s(])([A-Z][A-Z0-9]{1,9})-([0-9]{0,9})$/;

/**
 * `#words` (after a space or at the start) or `KEY-` / `KEY-12` of a project the person is in.
 * Not inside a word, so `C#` or `ISO-8601` of an unknown project ask for nothing.
 */
export function ticketToken(text: string, cursor: number, projectKeys: ReadonlySet<string>): TicketToken | null {
  const before = text.slice(0, cursor);
  const key = KEY_PREFIX.exec(before);
  if (key && projectKeys.has(key[2])) return { start: key.index + key[1].length, query: `${key[2]}-${key[3]}`, projectKey: key[2] };
  const hash = HASH.exec(before);
  if (hash) {
    // `#SUP-12` names a ticket of that project as much as `SUP-12` does.
    const inner = /^([A-Z][A-Z0-9]{1,9})-[0-9]*$/.exec(hash[2]);
    return { start: hash.index + hash[1].length, query: hash[2], projectKey: inner && projectKeys.has(inner[1]) ? inner[1] : null };
  }
  return null;
}

/** The draft with the token replaced by the ticket's key and a space, and where the cursor goes. */
export function insertTicketKey(text: string, token: TicketToken, cursor: number, key: string): { value: string; cursor: number } {
  const after = text.slice(cursor);
  const insert = after.startsWith(' ') ? key : `${key} `;
  return { value: text.slice(0, token.start) + insert + after, cursor: token.start + insert.length };
}
