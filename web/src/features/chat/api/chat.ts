import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Paginated } from '@/types/api';
import { mergeMessages, newestServerId, oldestServerId } from '../hooks/message-merge';
import type { ChatMessage, ChatRoom, MessageType, RoomMessages } from '../types';

export const PAGE_SIZE = 50;

export const chatKeys = {
  rooms: (projectId: number) => ['chat', 'rooms', projectId] as const,
  allRooms: () => ['chat', 'rooms'] as const,
  room: (roomId: number) => ['chat', 'room', roomId] as const,
  messages: (roomId: number) => ['chat', 'messages', roomId] as const,
  search: (q: string, roomId: number | null) => ['chat', 'search', q, roomId] as const,
  pins: (roomId: number) => ['chat', 'pins', roomId] as const,
};

function unwrap<T>(res: Paginated<T> | T[]): T[] {
  return Array.isArray(res) ? res : res.results;
}

// ---- rooms ----
export function useRooms(projectId: number | null) {
  return useQuery({
    queryKey: chatKeys.rooms(projectId ?? 0),
    queryFn: async () => unwrap(await api<Paginated<ChatRoom> | ChatRoom[]>('/api/chat/rooms/', { query: { project: projectId, page_size: 200 } })),
    enabled: !!projectId,
    // Kept current by the user socket (use-chat-live): room_added, room_updated, unread_updated...
    staleTime: Infinity,
  });
}

export interface CreateRoomInput {
  name?: string;
  type: 'group' | 'direct';
  project: number;
  participant_ids: number[];
}

export function useCreateRoom() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateRoomInput) => api<ChatRoom>('/api/chat/rooms/', { method: 'POST', body: input }),
    onSuccess: (room) => qc.invalidateQueries({ queryKey: chatKeys.rooms(room.project) }),
  });
}

export function useParticipantMutations(room: ChatRoom) {
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: chatKeys.rooms(room.project) });
  return {
    add: useMutation({
      mutationFn: (userId: number) => api<unknown>(`/api/chat/rooms/${room.id}/add_participant/`, { method: 'POST', body: { user_id: userId } }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: (userId: number) => api<unknown>(`/api/chat/rooms/${room.id}/remove_participant/`, { method: 'POST', body: { user_id: userId } }),
      onSuccess: refresh,
    }),
  };
}

export async function markRoomRead(qc: QueryClient, room: Pick<ChatRoom, 'id' | 'project'>) {
  await api<unknown>(`/api/chat/rooms/${room.id}/mark_read/`, { method: 'POST', body: {} });
  qc.setQueryData<ChatRoom[]>(chatKeys.rooms(room.project), (rooms) => rooms?.map((r) => (r.id === room.id ? { ...r, unread_count: 0 } : r)));
}

// ---- messages ----
function listMessages(query: Record<string, string | number | undefined>) {
  return api<Paginated<ChatMessage> | ChatMessage[]>('/api/chat/messages/', { query: { ...query, page_size: PAGE_SIZE } });
}

/**
 * Whether the server has more in a direction. Cursor links say it best (`previous` carries
 * `before=` for older history, `next` carries `after=` for newer); without links, a full page
 * means "maybe".
 */
export function hasMore(res: Paginated<ChatMessage> | ChatMessage[], count: number, direction: 'before' | 'after'): boolean {
  if (count === 0) return false;
  if (Array.isArray(res)) return count >= PAGE_SIZE;
  const links = [res.next, res.previous].filter((l): l is string => !!l);
  if (links.length === 0) return count >= PAGE_SIZE && res.count > count;
  if (links.some((l) => new RegExp(`[?&](before|after)=`).test(l))) {
    return links.some((l) => new RegExp(`[?&]${direction}=`).test(l));
  }
  // Page-number links: trust them for older history only when they exist at all.
  return true;
}

/** The newest page of a room, merged into whatever is cached (so a refetch never drops history or pending sends). */
export function useRoomMessages(roomId: number | null) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: chatKeys.messages(roomId ?? 0),
    enabled: !!roomId,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: async (): Promise<RoomMessages> => {
      const res = await listMessages({ room: roomId! });
      const page = unwrap(res);
      const prev = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId!));
      return {
        messages: mergeMessages(prev?.messages ?? [], page),
        hasOlder: prev ? prev.hasOlder : hasMore(res, page.length, 'before'),
      };
    },
  });
}

/** Loads the page before the oldest cached message. Returns how many arrived. */
export async function loadOlder(qc: QueryClient, roomId: number): Promise<number> {
  const current = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId));
  const oldest = current ? oldestServerId(current.messages) : null;
  if (oldest === null) return 0;
  const res = await listMessages({ room: roomId, before: oldest });
  const page = unwrap(res).filter((m) => m.id < oldest);
  qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => ({
    messages: mergeMessages(d?.messages ?? [], page),
    hasOlder: page.length > 0 && hasMore(res, page.length, 'before'),
  }));
  return page.length;
}

/** Fetches everything after `afterId` (the catch-up after a reconnect). */
export async function catchUp(qc: QueryClient, roomId: number, afterId: number | null): Promise<ChatMessage[]> {
  let cursor = afterId ?? newestServerId(qc.getQueryData<RoomMessages>(chatKeys.messages(roomId))?.messages ?? []);
  if (cursor === null) {
    await qc.invalidateQueries({ queryKey: chatKeys.messages(roomId) });
    return [];
  }
  const all: ChatMessage[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await listMessages({ room: roomId, after: cursor });
    const page = unwrap(res).filter((m) => m.id > cursor!);
    if (page.length === 0) break;
    all.push(...page);
    qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => ({
      messages: mergeMessages(d?.messages ?? [], page),
      hasOlder: d?.hasOlder ?? true,
    }));
    cursor = Math.max(...page.map((m) => m.id));
    if (!hasMore(res, page.length, 'after')) break;
  }
  // Ids are taken at insert, not at commit: a message can commit just after a higher id was seen,
  // and ?after= alone would skip it. The newest page is read again to pick such late ones up.
  const known = new Set((qc.getQueryData<RoomMessages>(chatKeys.messages(roomId))?.messages ?? []).map((m) => m.id));
  const newest = unwrap(await listMessages({ room: roomId }));
  const late = newest.filter((m) => !known.has(m.id));
  if (late.length > 0) {
    all.push(...late);
    qc.setQueryData<RoomMessages>(chatKeys.messages(roomId), (d) => ({
      messages: mergeMessages(d?.messages ?? [], newest),
      hasOlder: d?.hasOlder ?? true,
    }));
  }
  return all;
}

/**
 * Pages back through history until `messageId` is cached (for opening a search result or a link
 * in context), at most `maxPages` pages: further back, the caller asks for the page around it.
 */
export async function ensureMessageLoaded(qc: QueryClient, roomId: number, messageId: number, maxPages = 100): Promise<boolean> {
  const has = () => qc.getQueryData<RoomMessages>(chatKeys.messages(roomId))?.messages.some((m) => m.id === messageId) ?? false;
  if (!qc.getQueryData(chatKeys.messages(roomId))) {
    await qc.fetchQuery({
      queryKey: chatKeys.messages(roomId),
      queryFn: async () => {
        const res = await listMessages({ room: roomId });
        const page = unwrap(res);
        return { messages: mergeMessages([], page), hasOlder: hasMore(res, page.length, 'before') } satisfies RoomMessages;
      },
    });
  }
  for (let i = 0; i < maxPages && !has(); i++) {
    const d = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId));
    if (!d?.hasOlder) break;
    const n = await loadOlder(qc, roomId);
    if (n === 0) break;
  }
  return has();
}

export interface SendInput {
  room: number;
  content: string;
  type: MessageType;
  client_id: string;
  attachment?: File | null;
  /** A voice message's bar heights, sent as a JSON array. */
  waveform?: number[] | null;
}

export function sendMessage(input: SendInput): Promise<ChatMessage> {
  if (input.attachment) {
    const form = new FormData();
    form.append('room', String(input.room));
    form.append('content', input.content);
    form.append('type', input.type);
    form.append('client_id', input.client_id);
    if (input.waveform) form.append('waveform', JSON.stringify(input.waveform));
    form.append('attachment', input.attachment, input.attachment.name);
    return api<ChatMessage>('/api/chat/messages/', { method: 'POST', form });
  }
  return api<ChatMessage>('/api/chat/messages/', {
    method: 'POST',
    body: { room: input.room, content: input.content, type: input.type, client_id: input.client_id },
  });
}

export function editMessage(id: number, content: string) {
  return api<ChatMessage>(`/api/chat/messages/${id}/`, { method: 'PATCH', body: { content } });
}

export function deleteMessage(id: number) {
  return api<void>(`/api/chat/messages/${id}/`, { method: 'DELETE' });
}

export function addReaction(id: number, emoji: string) {
  return api<unknown>(`/api/chat/messages/${id}/add_reaction/`, { method: 'POST', body: { emoji } });
}

export function removeReaction(id: number, emoji: string) {
  return api<unknown>(`/api/chat/messages/${id}/remove_reaction/`, { method: 'POST', body: { emoji } });
}

export function useMessageSearch(q: string, roomId: number | null) {
  return useQuery({
    queryKey: chatKeys.search(q, roomId),
    queryFn: async () => {
      const res = await api<Paginated<ChatMessage> | ChatMessage[]>('/api/chat/messages/', { query: { search: q, room: roomId ?? undefined, page_size: 50 } });
      return { results: unwrap(res), count: Array.isArray(res) ? res.length : res.count };
    },
    enabled: q.trim().length > 0,
  });
}

// ---- Part 2: edit history and pins ----
export interface MessageVersion {
  content: string;
  edited_at: string;
}

/** Earlier versions of a message, oldest first (all pages; a message is rarely edited often). */
export async function fetchEditHistory(id: number): Promise<MessageVersion[]> {
  const all: MessageVersion[] = [];
  for (let page = 1; page <= 20; page++) {
    const res = await api<Paginated<MessageVersion> | MessageVersion[]>(`/api/chat/messages/${id}/history/`, { query: { page, page_size: 200 } });
    all.push(...unwrap(res));
    if (Array.isArray(res) || !res.next) break;
  }
  return all;
}

export function pinMessage(id: number, pinned: boolean) {
  return api<ChatMessage>(`/api/chat/messages/${id}/${pinned ? 'pin' : 'unpin'}/`, { method: 'POST', body: {} });
}

/** A room's pins, newest pin first (at most 50 exist). */
export function useRoomPins(roomId: number) {
  return useQuery({
    queryKey: chatKeys.pins(roomId),
    queryFn: async () => unwrap(await api<Paginated<ChatMessage> | ChatMessage[]>(`/api/chat/rooms/${roomId}/pins/`, { query: { page_size: 50 } })),
  });
}

/** A stretch of history away from the live end of a room (after jumping to an old message). */
export interface HistoryWindow {
  messages: ChatMessage[];
  hasOlder: boolean;
  hasNewer: boolean;
}

/** The page with `messageId` in its middle: the server's `around` cursor. */
export async function fetchAround(roomId: number, messageId: number): Promise<HistoryWindow> {
  const res = await listMessages({ room: roomId, around: messageId });
  const page = unwrap(res);
  return { messages: mergeMessages([], page), hasOlder: hasMore(res, page.length, 'before'), hasNewer: hasMore(res, page.length, 'after') };
}

/** Extends a history window by one page in a direction. */
export async function extendWindow(roomId: number, w: HistoryWindow, direction: 'before' | 'after'): Promise<HistoryWindow> {
  const cursor = direction === 'before' ? oldestServerId(w.messages) : newestServerId(w.messages);
  if (cursor === null) return { ...w, hasOlder: false, hasNewer: false };
  const res = await listMessages({ room: roomId, [direction]: cursor });
  const page = unwrap(res).filter((m) => (direction === 'before' ? m.id < cursor : m.id > cursor));
  const more = page.length > 0 && hasMore(res, page.length, direction);
  return {
    messages: mergeMessages(w.messages, page),
    hasOlder: direction === 'before' ? more : w.hasOlder,
    hasNewer: direction === 'after' ? more : w.hasNewer,
  };
}
