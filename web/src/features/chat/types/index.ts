import type { Schemas, User } from '@/types/api';

export type MessageType = Schemas['MessageDto']['type'];

export interface MessageReaction {
  id: number;
  user: User;
  emoji: string;
  created_at: string;
}

export interface ChatMessage {
  id: number;
  room: number;
  user: User;
  content: string;
  type: MessageType;
  /** Part 2: what a `system` message records (null for every other type). */
  event?: SystemEvent | null;
  attachment_url: string | null;
  attachment_name: string | null;
  attachment_size: number | null;
  thumbnail_url?: string | null;
  client_id?: string | null;
  reactions: MessageReaction[];
  created_at: string;
  updated_at: string;
  is_edited: boolean;
  edited_at: string | null;
  /** Part 2: who the server found mentioned (absent on older servers). */
  mentions?: { user_ids: number[]; room: boolean; here: boolean } | null;
  /** Part 2: tickets referenced in the content that this reader may see. */
  tickets?: MessageTicket[] | null;
  /** Part 2 threads: the root this message replies to (null for roots and plain messages). */
  thread_root_id?: number | null;
  also_send_to_room?: boolean;
  reply_count?: number;
  last_reply_at?: string | null;
  /** Who replied, latest first, at most 10. */
  thread_participants?: User[];
  is_following?: boolean;
  /** A deleted root kept as a placeholder so its replies stay readable. */
  is_deleted?: boolean;
  is_pinned?: boolean;
  pinned_by?: User | null;
  pinned_at?: string | null;
  /** Part 2: a voice message's length as the server measured it, and the client's bar heights (0-255). */
  duration_ms?: number | null;
  waveform?: number[] | null;
  /** Client-only: an optimistic message not yet confirmed by the server. */
  pending?: boolean;
  /** Client-only: the optimistic send failed. */
  failed?: boolean;
  /** Client-only: a local file preview for a pending upload. */
  local_preview_url?: string | null;
}

/** A system message's event: a `kind` and the ids it needs (never names, which are read live). */
export interface SystemEvent {
  kind: string;
  ticket_id?: number;
  [field: string]: unknown;
}

export interface MessageTicket {
  id: number;
  key: string;
  title: string;
  status: string;
  priority?: string;
  assignee?: User | null;
}

export interface ChatParticipant {
  id: number;
  user: User;
  joined_at: string;
  last_read_at: string | null;
  /** Part 2 read receipts. */
  last_read_message_id?: number | null;
}

export interface ChatRoom {
  id: number;
  name?: string | null;
  display_name: string;
  type: 'direct' | 'group';
  project: number;
  created_by: User;
  participants: ChatParticipant[];
  last_message: ChatMessage | null;
  unread_count: number;
  /** Unread messages that mention this person (servers before mentions leave it out). */
  mention_count?: number;
  unread_thread_count?: number;
  created_at: string;
  updated_at: string;
}

/** A thread as shown in its panel: the root, then its replies (the newest page and what came later). */
export interface ThreadMessages {
  root: ChatMessage | null;
  replies: ChatMessage[];
  hasOlder: boolean;
}

/** The cached message window of one room: a contiguous run ending at the newest message. */
export interface RoomMessages {
  messages: ChatMessage[];
  hasOlder: boolean;
}
