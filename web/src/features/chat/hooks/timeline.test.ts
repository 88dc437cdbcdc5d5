import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../types';
import { buildTimeline } from './timeline';

const user = (id: number) => ({ id, username: `u${id}`, email: '', first_name: '', last_name: '', display_name: `U${id}` });
let nextId = 1;
function msg(userId: number, at: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  const id = nextId++;
  return { id, room: 1, user: user(userId), content: `m${id}`, type: 'text', attachment_url: null, attachment_name: null, attachment_size: null, reactions: [], created_at: at, updated_at: at, is_edited: false, edited_at: null, ...extra };
}
const shape = (rows: ReturnType<typeof buildTimeline>) => rows.map((r) => (r.kind === 'message' ? (r.compact ? 'c' : 'M') : r.kind === 'date' ? 'D' : 'N')).join('');

describe('buildTimeline', () => {
  const now = new Date('2026-11-30T15:00:00');

  it('groups one person within five minutes, and starts a new group for someone else or after a gap', () => {
    nextId = 1;
    const rows = buildTimeline(
      [msg(1, '2026-11-30T10:00:00'), msg(1, '2026-11-30T10:04:00'), msg(2, '2026-11-30T10:05:00'), msg(2, '2026-11-30T10:20:00'), msg(2, '2026-11-30T10:21:00')],
      null,
      1,
      now,
    );
    expect(shape(rows)).toBe('DMcMMc');
  });

  it('puts a date line where the day changes, naming today and yesterday', () => {
    nextId = 1;
    const rows = buildTimeline([msg(1, '2026-11-28T23:59:00'), msg(1, '2026-11-29T00:01:00'), msg(1, '2026-11-30T09:00:00')], null, 1, now);
    expect(shape(rows)).toBe('DMDMDM');
    expect(rows.filter((r) => r.kind === 'date').map((r) => (r.kind === 'date' ? r.label : ''))).toEqual([expect.stringContaining('28'), 'Yesterday', 'Today']);
  });

  it('puts the new-messages line before the first message by someone else after the read mark, and breaks the group there', () => {
    nextId = 1;
    const a = msg(2, '2026-11-30T10:00:00');
    const b = msg(1, '2026-11-30T10:01:00');
    const c = msg(2, '2026-11-30T10:02:00');
    const d = msg(2, '2026-11-30T10:03:00');
    expect(shape(buildTimeline([a, b, c, d], { messageId: a.id, at: null }, 1, now))).toBe('DMMNMc');
    expect(shape(buildTimeline([a, b, c, d], { messageId: null, at: '2026-11-30T10:01:30Z'.replace('Z', '') }, 1, now))).toBe('DMMNMc');
    expect(shape(buildTimeline([a, b, c, d], { messageId: d.id, at: null }, 1, now))).toBe('DMMMc');
  });

  it('never groups system messages', () => {
    nextId = 1;
    expect(shape(buildTimeline([msg(1, '2026-11-30T10:00:00'), msg(1, '2026-11-30T10:00:01', { type: 'system' }), msg(1, '2026-11-30T10:00:02')], null, 1, now))).toBe('DMMM');
  });
});
