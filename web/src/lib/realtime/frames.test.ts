import { describe, expect, it } from 'vitest';
import { isRoomFrame, parseServerFrame } from './frames';

describe('parseServerFrame', () => {
  it('knows the pin frames and treats them as room frames', () => {
    const user = { id: 2, username: 'ann', display_name: 'Ann' };
    for (const type of ['message_pinned', 'message_unpinned']) {
      const { seq, frame } = parseServerFrame(JSON.stringify({ type, seq: 7, room_id: 3, message_id: 9, pinned_by: user }));
      expect(seq).toBe(7);
      expect(frame).toMatchObject({ type, room_id: 3, message_id: 9 });
      expect(isRoomFrame(frame!)).toBe(true);
    }
  });

  it('counts an unknown frame for seq but hands out nothing', () => {
    expect(parseServerFrame(JSON.stringify({ type: 'from_the_future', seq: 4 }))).toEqual({ seq: 4, frame: null });
  });
});
