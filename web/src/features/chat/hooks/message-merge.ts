import type { ChatMessage, RoomMessages } from '../types';

/**
 * Merges messages from any source (REST pages, socket frames, optimistic sends) into one
 * chronological list without duplicates. A server message replaces a pending one with the
 * same client_id; a message seen twice keeps the later edit.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const byId = new Map<number, ChatMessage>();
  const pendingByClientId = new Map<string, ChatMessage>();
  const confirmedClientIds = new Set<string>();

  const add = (m: ChatMessage) => {
    if (m.pending || m.failed || m.id <= 0) {
      if (m.client_id && !confirmedClientIds.has(m.client_id)) pendingByClientId.set(m.client_id, m);
      return;
    }
    const prev = byId.get(m.id);
    byId.set(m.id, prev ? newer(prev, m) : m);
    if (m.client_id) {
      confirmedClientIds.add(m.client_id);
      pendingByClientId.delete(m.client_id);
    }
  };
  for (const m of existing) add(m);
  for (const m of incoming) add(m);

  const confirmed = [...byId.values()].sort(compareServer);
  const pending = [...pendingByClientId.values()].sort(
    (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at),
  );
  return [...confirmed, ...pending];
}

function newer(a: ChatMessage, b: ChatMessage): ChatMessage {
  const ta = Date.parse(a.edited_at ?? a.updated_at ?? a.created_at);
  const tb = Date.parse(b.edited_at ?? b.updated_at ?? b.created_at);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return b;
  return tb >= ta ? b : a;
}

function compareServer(a: ChatMessage, b: ChatMessage): number {
  // Ids grow with insertion order on the server, so they are the reliable chronology.
  return a.id - b.id;
}

export function removeMessage(list: readonly ChatMessage[], id: number): ChatMessage[] {
  return list.filter((m) => m.id !== id);
}

export function updateMessage(
  list: readonly ChatMessage[],
  id: number,
  fn: (m: ChatMessage) => ChatMessage,
): ChatMessage[] {
  return list.map((m) => (m.id === id ? fn(m) : m));
}

export function markFailed(list: readonly ChatMessage[], clientId: string): ChatMessage[] {
  return list.map((m) => (m.client_id === clientId && m.id <= 0 ? { ...m, pending: false, failed: true } : m));
}

export function newestServerId(list: readonly ChatMessage[]): number | null {
  let max: number | null = null;
  for (const m of list) if (m.id > 0 && !m.pending && (max === null || m.id > max)) max = m.id;
  return max;
}

export function oldestServerId(list: readonly ChatMessage[]): number | null {
  let min: number | null = null;
  for (const m of list) if (m.id > 0 && !m.pending && (min === null || m.id < min)) min = m.id;
  return min;
}

export function emptyRoom(): RoomMessages {
  return { messages: [], hasOlder: false };
}

let localSeq = 0;
/** A client_id unique enough for idempotent sends (<= 64 chars). */
export function newClientId(): string {
  localSeq += 1;
  const rnd =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `c-${rnd}-${localSeq}`.slice(0, 64);
}

/** Negative ids mark local (optimistic) messages. */
export function localId(): number {
  localSeq += 1;
  return -localSeq;
}
