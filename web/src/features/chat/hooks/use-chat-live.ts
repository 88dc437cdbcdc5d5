import { useQueryClient } from '@tanstack/react-query';
import { isRoomFrame } from '@/lib/realtime/frames';
import { useSocketListener } from '@/lib/realtime/realtime-context';
import { chatKeys } from '../api/chat';
import { threadKeys } from '../api/threads';
import { applyFrame, applyUserFrame, type ChatFrame, type ChatUserFrame } from './cache-updates';

const USER_FRAMES = new Set(['room_added', 'room_removed', 'room_updated', 'unread_updated']);

/**
 * Feeds every chat frame of the user socket into the query cache, wherever the person is in the
 * app, so room lists, badges and cached rooms stay current without polling.
 */
export function useChatLive() {
  const qc = useQueryClient();
  useSocketListener({
    onFrame: (frame) => {
      if (USER_FRAMES.has(frame.type)) applyUserFrame(qc, frame as ChatUserFrame);
      else if (isRoomFrame(frame)) applyFrame(qc, frame as unknown as ChatFrame);
    },
    onResync: (info) => {
      // Unread counts and previews may be stale; rooms off screen may have missed messages, so
      // their windows are dropped and load afresh when opened (rooms on screen catch up instead).
      void qc.invalidateQueries({ queryKey: chatKeys.allRooms() });
      qc.removeQueries({ queryKey: ['chat', 'messages'], predicate: (q) => !info.rooms.has(q.queryKey[2] as number) });
      // Open thread panels read their newest page again (merged, so nothing on screen is lost).
      void qc.invalidateQueries({ queryKey: threadKeys.all() });
      void qc.invalidateQueries({ queryKey: threadKeys.lists() });
    },
  });
}
