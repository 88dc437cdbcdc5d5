// The chat socket protocol: one discriminated union per direction.
// Payload shapes are kept generic so this module stays free of feature types.

export type ClientFrame =
  | { type: 'message_send'; content: string; message_type: 'text' | 'image' | 'file'; client_id?: string }
  | { type: 'message_edit'; message_id: number; content: string }
  | { type: 'message_delete'; message_id: number }
  | { type: 'reaction_add'; message_id: number; emoji: string }
  | { type: 'reaction_remove'; message_id: number; emoji: string }
  | { type: 'typing'; is_typing: boolean }
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

export type ServerFrame<M extends FrameMessage = FrameMessage, U extends FrameUser = FrameUser> =
  | { type: 'message_new'; message: M; client_id?: string | null }
  | { type: 'message_edited'; message: M }
  | { type: 'message_deleted'; message_id: number }
  | { type: 'reaction_added'; message_id: number; reaction: { id: number; user: U; emoji: string; created_at: string } }
  | { type: 'reaction_removed'; message_id: number; user_id: number; emoji: string }
  | { type: 'user_typing'; user_id: number; is_typing: boolean }
  | { type: 'user_joined'; user: U }
  | { type: 'user_left'; user: U }
  | { type: 'room_read'; user_id: number; last_read_at: string }
  | { type: 'room_deleted'; room_id: number }
  | { type: 'error'; code: string; detail: string }
  | { type: 'pong' };

const SERVER_TYPES = new Set([
  'message_new',
  'message_edited',
  'message_deleted',
  'reaction_added',
  'reaction_removed',
  'user_typing',
  'user_joined',
  'user_left',
  'room_read',
  'room_deleted',
  'error',
  'pong',
]);

/** Parses a text frame; returns null for anything that is not a known server frame. */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  try {
    const obj = JSON.parse(data) as { type?: unknown };
    if (obj && typeof obj === 'object' && typeof obj.type === 'string' && SERVER_TYPES.has(obj.type)) {
      return obj as ServerFrame;
    }
  } catch {
    /* ignore malformed frames */
  }
  return null;
}
