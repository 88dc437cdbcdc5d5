// The user socket's protocol (/ws/): one discriminated union per direction. Payload shapes are
// generic here so this module stays free of feature types; features narrow them.

export type RoomClientFrame =
  | { type: 'message_send'; room_id: number; content: string; message_type: 'text' | 'image' | 'file'; client_id?: string }
  | { type: 'message_edit'; room_id: number; message_id: number; content: string }
  | { type: 'message_delete'; room_id: number; message_id: number }
  | { type: 'reaction_add'; room_id: number; message_id: number; emoji: string }
  | { type: 'reaction_remove'; room_id: number; message_id: number; emoji: string }
  | { type: 'typing'; room_id: number; is_typing: boolean };

/** WebRTC signalling for a call, relayed by the server to one other person in it. */
export interface IceCandidateWire {
  candidate: string;
  sdp_mid: string | null;
  sdp_m_line_index: number | null;
  username_fragment?: string | null;
}

export type CallClientFrame =
  | { type: 'call_offer' | 'call_answer'; call_id: number; to_user_id: number; sdp: string }
  | { type: 'call_ice'; call_id: number; to_user_id: number; candidate: IceCandidateWire };

export type ClientFrame =
  | RoomClientFrame
  | CallClientFrame
  | { type: 'subscribe'; topics: string[] }
  | { type: 'unsubscribe'; topics: string[] }
  | { type: 'activity' }
  | { type: 'ping' }
  | { type: 'auth'; token: string };

export interface FrameUser {
  id: number;
  username: string;
  display_name: string;
}

export interface FrameMessage {
  id: number;
  room: number;
  client_id?: string | null;
}

export type PresenceStatus = 'online' | 'away' | 'offline';

/** Frames about one room; on the user socket they carry the room's id. */
export type RoomFrame<M extends FrameMessage = FrameMessage, U extends FrameUser = FrameUser> = { room_id: number } & (
  | { type: 'message_new'; message: M; client_id?: string | null }
  | { type: 'message_edited'; message: M }
  | { type: 'message_deleted'; message_id: number }
  | { type: 'reaction_added'; message_id: number; reaction: { id: number; user: U; emoji: string; created_at: string } }
  | { type: 'reaction_removed'; message_id: number; user_id: number; emoji: string }
  | { type: 'user_typing'; user_id: number; is_typing: boolean }
  | { type: 'user_joined'; user: U }
  | { type: 'user_left'; user: U }
  | { type: 'room_read'; user_id: number; last_read_at: string }
  | { type: 'read_receipt'; user_id: number; last_read_message_id: number | null; read_at: string }
  | { type: 'thread_updated'; root_id: number; reply_count: number; last_reply_at: string | null; thread_participants: U[] }
  | { type: 'message_pinned'; message_id: number; pinned_by: U; message?: M }
  | { type: 'message_unpinned'; message_id: number; pinned_by: U }
);

export interface HelloFrame {
  type: 'hello';
  user_id: number;
  session_id: number;
  server_time: string;
  heartbeat_seconds: number;
}

/** Frames about the person (their rooms, unread counts, presence of others). */
export type UserFrame<R = unknown, N = unknown> =
  | { type: 'room_added'; room: R }
  | { type: 'room_removed'; room_id: number }
  | { type: 'room_updated'; room: R }
  | { type: 'unread_updated'; room_id: number; unread_count: number; mention_count?: number; unread_thread_count?: number }
  | { type: 'notification_created'; notification: N }
  | { type: 'notifications_read'; ids: number[] }
  | { type: 'presence_changed'; user_id: number; status: PresenceStatus };

/** Call events (to everyone in the room) and relayed signalling (to one person); features narrow `call`. */
export type CallFrame<C = { id: number; room: number }> =
  | { type: 'call_ringing' | 'call_ended'; room_id: number; call: C }
  | { type: 'call_joined' | 'call_left' | 'call_declined'; room_id: number; call: C; user_id: number }
  | { type: 'call_offer' | 'call_answer'; call_id: number; from_user_id: number; sdp: string }
  | { type: 'call_ice'; call_id: number; from_user_id: number; candidate: IceCandidateWire };

/** Frames of the project:<id> and ticket:<id> topics. */
export type TopicFrame<T = { id: number; project: number; key: string }, C = { id: number }> =
  | { type: 'ticket_created'; ticket: T }
  | { type: 'ticket_updated'; ticket: T }
  | { type: 'ticket_deleted'; ticket: T }
  | { type: 'comment_added'; ticket_id: number; comment: C }
  | { type: 'comment_edited'; ticket_id: number; comment: C }
  | { type: 'comment_deleted'; ticket_id: number; comment: C };

export type ControlFrame =
  | HelloFrame
  | { type: 'subscribed'; topics: string[] }
  | { type: 'unsubscribed'; topics: string[] }
  | { type: 'error'; code: string; detail: string; room_id?: number }
  | { type: 'pong' };

export type ServerFrame = RoomFrame | UserFrame | TopicFrame | CallFrame | ControlFrame;

/** A frame as received: its per-connection sequence number, and the frame when this client knows its type. */
export interface Received {
  seq: number | null;
  frame: ServerFrame | null;
}

const KNOWN = new Set<string>([
  'message_new',
  'message_edited',
  'message_deleted',
  'reaction_added',
  'reaction_removed',
  'user_typing',
  'user_joined',
  'user_left',
  'room_read',
  'read_receipt',
  'thread_updated',
  'message_pinned',
  'message_unpinned',
  'hello',
  'room_added',
  'room_removed',
  'room_updated',
  'unread_updated',
  'notification_created',
  'notifications_read',
  'presence_changed',
  'ticket_created',
  'ticket_updated',
  'ticket_deleted',
  'comment_added',
  'comment_edited',
  'comment_deleted',
  'call_ringing',
  'call_joined',
  'call_left',
  'call_declined',
  'call_ended',
  'call_offer',
  'call_answer',
  'call_ice',
  'subscribed',
  'unsubscribed',
  'error',
  'pong',
]);

/**
 * Parses a text frame. Frames of types this client does not know still count for `seq` (the
 * server numbers every frame), so the number is read before the type is checked.
 */
export function parseServerFrame(data: string): Received {
  try {
    const obj = JSON.parse(data) as { type?: unknown; seq?: unknown };
    if (!obj || typeof obj !== 'object') return { seq: null, frame: null };
    const seq = typeof obj.seq === 'number' && Number.isInteger(obj.seq) ? obj.seq : null;
    const known = typeof obj.type === 'string' && KNOWN.has(obj.type);
    return { seq, frame: known ? (obj as ServerFrame) : null };
  } catch {
    return { seq: null, frame: null };
  }
}

export function isRoomFrame(f: ServerFrame): f is RoomFrame {
  return 'room_id' in f && typeof (f as { room_id?: unknown }).room_id === 'number' && f.type !== 'room_removed' && f.type !== 'unread_updated' && f.type !== 'error' && !f.type.startsWith('call_');
}
