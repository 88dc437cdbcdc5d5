import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { isRoomFrame, type RoomClientFrame } from '@/lib/realtime/frames';
import { useConnectionState, useRoomWatch, useSocketListener, useUserSocket } from '@/lib/realtime/realtime-context';
import { catchUp, chatKeys } from '../api/chat';
import type { ChatMessage, RoomMessages } from '../types';
import { newestServerId } from './message-merge';

const TYPING_TTL_MS = 6_000;

type WithoutRoom<F> = F extends unknown ? Omit<F, 'room_id'> : never;

interface Options {
  roomId: number;
  myUserId: number;
  /** The newest message the room's window holds. */
  newestId: number | null;
  /** Called for each message by someone else that arrives live or by catch-up. */
  onIncoming?: (m: ChatMessage) => void;
}

/**
 * The open room's share of the user socket: who is typing, messages by others (to mark the room
 * read), the catch-up after a reconnect, and sending room frames. The messages themselves reach
 * the cache through the app-wide chat listener (use-chat-live).
 */
export function useRoomLive({ roomId, myUserId, newestId, onIncoming }: Options) {
  const qc = useQueryClient();
  const socket = useUserSocket();
  const state = useConnectionState();
  const { message } = App.useApp();
  const [typing, setTyping] = useState<Record<number, number>>({});
  const incomingRef = useRef(onIncoming);
  incomingRef.current = onIncoming;

  useRoomWatch(roomId, newestId);

  useEffect(() => setTyping({}), [roomId]);

  useSocketListener({
    onFrame: (frame) => {
      if (frame.type === 'error') {
        if (frame.code === 'rate_limited' && (frame.room_id ?? roomId) === roomId) message.warning('Slow down: you are sending too fast.');
        return;
      }
      if (!isRoomFrame(frame) || frame.room_id !== roomId) return;
      if (frame.type === 'user_typing') {
        if (frame.user_id === myUserId) return;
        setTyping((t) => {
          const next = { ...t };
          if (frame.is_typing) next[frame.user_id] = Date.now() + TYPING_TTL_MS;
          else delete next[frame.user_id];
          return next;
        });
        return;
      }
      if (frame.type === 'message_new') {
        const author = (frame.message as unknown as ChatMessage).user?.id;
        setTyping((t) => {
          if (author === undefined || !(author in t)) return t;
          const next = { ...t };
          delete next[author];
          return next;
        });
        if (author !== myUserId) incomingRef.current?.(frame.message as unknown as ChatMessage);
      }
    },
    onResync: async (info) => {
      if (!info.rooms.has(roomId)) return;
      const current = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId));
      const after = Math.max(info.rooms.get(roomId) ?? 0, (current && newestServerId(current.messages)) ?? 0) || null;
      try {
        const missed = await catchUp(qc, roomId, after);
        for (const m of missed) {
          socket?.noteMessageId(roomId, m.id);
          if (m.user.id !== myUserId) incomingRef.current?.(m);
        }
      } catch {
        /* the next resync tries again */
      }
    },
  });

  // Expire typing flags whose "stopped" frame never came: one timer for the earliest.
  useEffect(() => {
    const until = Object.values(typing);
    if (until.length === 0) return;
    const t = setTimeout(
      () => {
        const now = Date.now();
        setTyping((cur) => Object.fromEntries(Object.entries(cur).filter(([, u]) => u > now)));
      },
      Math.max(0, Math.min(...until) - Date.now()) + 50,
    );
    return () => clearTimeout(t);
  }, [typing]);

  const send = useCallback(
    (frame: WithoutRoom<RoomClientFrame>) => socket?.send({ ...frame, room_id: roomId } as RoomClientFrame) ?? false,
    [socket, roomId],
  );

  return { state, typingUserIds: Object.keys(typing).map(Number), send };
}
