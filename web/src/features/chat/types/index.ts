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
  is_pinned?: boolean;
  pinned_by?: User | null;
  pinned_at?: string | null;
  /** Client-only: an optimistic message not yet confirmed by the server. */
  pending?: boolean;
  /** Client-only: the optimistic send failed. */
  failed?: boolean;
  /** Client-only: a local file preview for a pending upload. */
  local_preview_url?: string | null;
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

/** The cached message window of one room: a contiguous run ending at the newest message. */
export interface RoomMessages {
  messages: ChatMessage[];
  hasOlder: boolean;
}
