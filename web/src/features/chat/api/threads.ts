import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated, User } from '@/types/api';
import { mergeMessages, oldestServerId } from '../hooks/message-merge';
import type { ChatMessage, ThreadMessages } from '../types';
import { hasMore, PAGE_SIZE } from './chat';

export const threadKeys = {
  all: () => ['chat', 'thread'] as const,
  thread: (rootId: number) => ['chat', 'thread', rootId] as const,
  lists: () => ['chat', 'threads'] as const,
  list: (filter: ThreadFilter, roomId: number | null) => ['chat', 'threads', filter, roomId ?? 0] as const,
};

export type ThreadFilter = 'all' | 'following' | 'unread';

function unwrap<T>(res: Paginated<T> | T[]): T[] {
  return Array.isArray(res) ? res : res.results;
}

/** Splits a `?thread=` page (the root first, then replies) into the panel's shape. */
export function toThread(rootId: number, page: ChatMessage[], prev: ThreadMessages | undefined, hasOlder: boolean): ThreadMessages {
  const root = page.find((m) => m.id === rootId) ?? prev?.root ?? null;
  const replies = mergeMessages(prev?.replies ?? [], page.filter((m) => m.id !== rootId));
  return { root, replies, hasOlder };
}

/** The root and the newest page of its replies, merged into whatever is cached. */
export function useThread(rootId: number | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: threadKeys.thread(rootId ?? 0),
    enabled: !!rootId,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<ThreadMessages> => {
      const res = await api<Paginated<ChatMessage> | ChatMessage[]>('/api/chat/messages/', { query: { thread: rootId!, page_size: PAGE_SIZE } });
      const page = unwrap(res);
      const prev = qc.getQueryData<ThreadMessages>(threadKeys.thread(rootId!));
      // The root leads the first page only; a page without it has older replies before it.
      const older = !page.some((m) => m.id === rootId) && hasMore(res, page.length, 'before');
      return toThread(rootId!, page, prev, prev ? prev.hasOlder : older);
    },
  });
}

/** The page of replies before the oldest cached one. */
export async function loadOlderReplies(qc: QueryClient, rootId: number): Promise<void> {
  const current = qc.getQueryData<ThreadMessages>(threadKeys.thread(rootId));
  const oldest = current ? oldestServerId(current.replies) : null;
  if (oldest === null) return;
  const res = await api<Paginated<ChatMessage> | ChatMessage[]>('/api/chat/messages/', { query: { thread: rootId, before: oldest, page_size: PAGE_SIZE } });
  const page = unwrap(res).filter((m) => m.id < oldest);
  qc.setQueryData<ThreadMessages>(threadKeys.thread(rootId), (d) =>
    toThread(rootId, page, d, page.length > 0 && !page.some((m) => m.id === rootId) && hasMore(res, page.length, 'before')),
  );
}

export interface ReplyInput {
  room: number;
  rootId: number;
  content: string;
  alsoSendToRoom: boolean;
  client_id: string;
}

/** Replies go over REST (the socket's message_send has no thread field). */
export function sendReply(input: ReplyInput): Promise<ChatMessage> {
  return api<ChatMessage>('/api/chat/messages/', {
    method: 'POST',
    body: { room: input.room, content: input.content, type: 'text', client_id: input.client_id, thread_root_id: input.rootId, also_send_to_room: input.alsoSendToRoom },
  });
}

export function followThread(rootId: number, following: boolean) {
  return api<{ root_id: number; is_following: boolean }>(`/api/chat/threads/${rootId}/follow/`, { method: 'POST', body: { following } });
}

export function markThreadRead(rootId: number) {
  return api<{ root_id: number; last_read_at: string }>(`/api/chat/threads/${rootId}/mark_read/`, { method: 'POST', body: {} });
}

/** Threads across the caller's rooms (or one room), latest reply first. */
export function fetchThreads(filter: ThreadFilter, roomId: number | null, pageSize = 50) {
  return api<Paginated<ChatMessage> | ChatMessage[]>('/api/chat/threads/', { query: { filter, room: roomId ?? undefined, page_size: pageSize } }).then(unwrap);
}

export interface ThreadListEntry {
  root: ChatMessage;
  unread: boolean;
}

/** Unread threads first (each list already latest reply first), then the rest, without repeats. */
export function unreadFirst(unread: ChatMessage[], all: ChatMessage[]): ThreadListEntry[] {
  const seen = new Set(unread.map((m) => m.id));
  return [...unread.map((root) => ({ root, unread: true })), ...all.filter((m) => !seen.has(m.id)).map((root) => ({ root, unread: false }))];
}

export function useThreadList(roomId: number | null) {
  return useQuery({
    queryKey: threadKeys.list('all', roomId),
    queryFn: async () => {
      const [unread, all] = await Promise.all([fetchThreads('unread', roomId), fetchThreads('all', roomId)]);
      return unreadFirst(unread, all);
    },
  });
}

// ---- read receipts ----
export interface Receipts {
  read_count: number;
  participant_count: number;
  read_by: { user: User; read_at: string }[];
}

export function fetchReceipts(messageId: number) {
  return api<Receipts>(`/api/chat/messages/${messageId}/receipts/`);
}

export function markUnread(roomId: number, messageId: number) {
  return api<{ last_read_message_id: number | null; last_read_at: string | null; unread_count: number }>(`/api/chat/rooms/${roomId}/mark_unread/`, {
    method: 'POST',
    body: { message_id: messageId },
  });
}
