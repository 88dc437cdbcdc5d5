import type { User } from '@/types/api';
import type { ChatMessage } from '../types';

/** A user for tests; `display_name` defaults to the username. */
export const testUser = (id: number, displayName = `u${id}`): User => ({ id, username: `u${id}`, email: '', first_name: '', last_name: '', display_name: displayName });

/** A plain text message by user 1 in room 1, sent at second `id % 10` of 2025; `extra` overrides any field. */
export const testMessage = (id: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id,
  room: 1,
  user: testUser(1),
  content: `m${id}`,
  type: 'text',
  attachment_url: null,
  attachment_name: null,
  attachment_size: null,
  reactions: [],
  created_at: `2025-01-01T00:00:0${id % 10}Z`,
  updated_at: `2025-01-01T00:00:0${id % 10}Z`,
  is_edited: false,
  edited_at: null,
  ...extra,
});
