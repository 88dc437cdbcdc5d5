import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { errorMessage } from '@/lib/api-client';
import type { User } from '@/types/api';
import { addReaction, chatKeys, removeReaction } from '../api/chat';
import { threadKeys } from '../api/threads';
import type { ChatMessage } from '../types';
import { applyReaction, removeReactionLocal } from './cache-updates';

/**
 * Adds or takes back the caller's reaction: shown at once in every cached view of the room, then
 * sent. When the server refuses, the view it happened in (the room's timeline, or the thread when
 * `threadRootId` is given) is fetched again rather than rolled back by hand.
 */
export function useToggleReaction(roomId: number, me: User, threadRootId?: number) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  return useCallback(
    async (m: ChatMessage, emoji: string, reacted: boolean) => {
      try {
        if (reacted) {
          removeReactionLocal(qc, roomId, m.id, me.id, emoji);
          await removeReaction(m.id, emoji);
        } else {
          applyReaction(qc, roomId, m.id, { id: -Date.now(), user: me, emoji, created_at: new Date().toISOString() });
          await addReaction(m.id, emoji);
        }
      } catch (err) {
        message.error(errorMessage(err));
        void qc.invalidateQueries({ queryKey: threadRootId === undefined ? chatKeys.messages(roomId) : threadKeys.thread(threadRootId) });
      }
    },
    [qc, roomId, me, message, threadRootId],
  );
}
