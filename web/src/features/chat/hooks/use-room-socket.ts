import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { tokens } from '@/lib/api-client';
import { ChatSocketClient, roomSocketUrl, type ConnectionState } from '@/lib/realtime/socket-client';
import type { ClientFrame } from '@/lib/realtime/frames';
import { catchUp, chatKeys } from '../api/chat';
import type { ChatMessage, RoomMessages } from '../types';
import { applyFrame, type ChatFrame } from './cache-updates';
import { newestServerId } from './message-merge';

const TYPING_TTL_MS = 6_000;

interface Options {
  roomId: number | null;
  projectId: number | null;
  myUserId: number | null;
  /** Called for each message that arrives live (not catch-up). */
  onIncoming?: (m: ChatMessage) => void;
}

/** Owns the socket of the open room and feeds its frames into the query cache. */
export function useRoomSocket({ roomId, projectId, myUserId, onIncoming }: Options) {
  const qc = useQueryClient();
  const { message } = App.useApp();
  const [state, setState] = useState<ConnectionState>('idle');
  const [typing, setTyping] = useState<Record<number, number>>({});
  const clientRef = useRef<ChatSocketClient | null>(null);
  const incomingRef = useRef(onIncoming);
  incomingRef.current = onIncoming;

  useEffect(() => {
    if (!roomId || !projectId) return;
    setTyping({});
    const client = new ChatSocketClient({
      url: (token) => roomSocketUrl(roomId, token),
      getToken: () => tokens.getAccess(),
      refreshToken: async () => (await tokens.refresh())?.access ?? null,
      onStateChange: setState,
      onCatchUp: async (lastSeen) => {
        const cached = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId));
        const newest = cached ? newestServerId(cached.messages) : null;
        const missed = await catchUp(qc, roomId, Math.max(lastSeen ?? 0, newest ?? 0) || null);
        for (const m of missed) if (m.user.id !== myUserId) incomingRef.current?.(m);
      },
      onFatalClose: (code) => {
        if (code === 4403) message.error('You no longer have access to this room.');
      },
      onFrame: (raw) => {
        const frame = raw as unknown as ChatFrame;
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
        if (frame.type === 'error') {
          if (frame.code === 'rate_limited') message.warning('Slow down: you are sending too fast.');
          return;
        }
        const created = applyFrame(qc, roomId, projectId, frame);
        if (created) {
          setTyping((t) => {
            if (!(created.user.id in t)) return t;
            const next = { ...t };
            delete next[created.user.id];
            return next;
          });
          if (created.user.id !== myUserId) incomingRef.current?.(created);
        }
      },
    });
    clientRef.current = client;
    const cached = qc.getQueryData<RoomMessages>(chatKeys.messages(roomId));
    const newest = cached ? newestServerId(cached.messages) : null;
    if (newest) client.noteMessageId(newest);
    client.connect();
    const online = () => client.reconnectNow();
    window.addEventListener('online', online);
    // The server closes a socket (4401) when its token expires; a fresh token sent as an auth
    // frame extends the session without a reconnect.
    const offTokens = tokens.subscribe((pair) => {
      if (pair) client.send({ type: 'auth', token: pair.access });
    });
    return () => {
      offTokens();
      window.removeEventListener('online', online);
      client.close();
      clientRef.current = null;
      setState('idle');
    };
  }, [roomId, projectId, myUserId, qc, message]);

  // Expire typing flags whose "stopped" frame never came.
  useEffect(() => {
    const ids = Object.keys(typing);
    if (ids.length === 0) return;
    const t = setInterval(() => {
      const now = Date.now();
      setTyping((cur) => {
        const next = Object.fromEntries(Object.entries(cur).filter(([, until]) => until > now));
        return Object.keys(next).length === Object.keys(cur).length ? cur : next;
      });
    }, 1_000);
    return () => clearInterval(t);
  }, [typing]);

  const send = useCallback((frame: ClientFrame) => clientRef.current?.send(frame) ?? false, []);
  const noteMessageId = useCallback((id: number) => clientRef.current?.noteMessageId(id), []);

  return { state, typingUserIds: Object.keys(typing).map(Number), send, noteMessageId };
}
