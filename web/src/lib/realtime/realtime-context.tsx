import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { api, tokens } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import type { PresenceStatus, ServerFrame } from './frames';
import { PresenceStore } from './presence';
import type { ConnectionState } from './socket-client';
import { UserSocket, type ResyncInfo } from './user-socket';

export const presence = new PresenceStore(async (ids) => {
  const res = await api<{ results: { user_id: number; status: PresenceStatus }[] }>('/api/users/presence/', { query: { ids: ids.join(',') } });
  return res.results;
});

interface RealtimeValue {
  socket: UserSocket | null;
  state: ConnectionState;
}

const RealtimeContext = createContext<RealtimeValue>({ socket: null, state: 'idle' });

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;

/** Opens the one socket while someone is signed in and shares it with the whole app. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const { isSignedIn } = useAuth();
  const [value, setValue] = useState<RealtimeValue>({ socket: null, state: 'idle' });

  useEffect(() => {
    if (!isSignedIn) return;
    const socket = new UserSocket({
      getToken: () => tokens.getAccess(),
      refreshToken: async () => (await tokens.refresh())?.access ?? null,
      // The refresh worked and the server still says no: this session is over.
      onFatalClose: (code) => {
        if (code === 4401) tokens.clear('session_ended');
      },
    });
    const off = socket.addListener({
      onState: (state) => setValue((v) => (v.state === state ? v : { ...v, state })),
      onFrame: (f) => {
        if (f.type === 'presence_changed') presence.set(f.user_id, f.status);
      },
      onResync: () => presence.refreshAll(),
    });
    setValue({ socket, state: socket.state });
    socket.connect();

    const online = () => socket.reconnectNow();
    window.addEventListener('online', online);
    // A token near its end is refreshed in the background; hand the new one to the open socket.
    const offTokens = tokens.subscribe((pair) => {
      if (pair) socket.send({ type: 'auth', token: pair.access });
    });
    const active = () => socket.noteActivity();
    const visible = () => document.visibilityState === 'visible' && active();
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, active, { passive: true });
    document.addEventListener('visibilitychange', visible);
    return () => {
      off();
      offTokens();
      window.removeEventListener('online', online);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, active);
      document.removeEventListener('visibilitychange', visible);
      socket.close();
      presence.clear();
      setValue({ socket: null, state: 'idle' });
    };
  }, [isSignedIn]);

  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useUserSocket(): UserSocket | null {
  return useContext(RealtimeContext).socket;
}

export function useConnectionState(): ConnectionState {
  return useContext(RealtimeContext).state;
}

export interface FrameHandlers {
  onFrame?: (frame: ServerFrame) => void;
  onResync?: (info: ResyncInfo) => void;
}

/** Listens to the socket with handlers that may change every render (kept in a ref). */
export function useSocketListener(handlers: FrameHandlers): void {
  const socket = useUserSocket();
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(
    () =>
      socket?.addListener({
        onFrame: (f) => ref.current.onFrame?.(f),
        onResync: (info) => ref.current.onResync?.(info),
      }),
    [socket],
  );
}

/** Keeps the given topics subscribed while the component is on screen. */
export function useTopics(topics: (string | null | undefined)[]): void {
  const socket = useUserSocket();
  const key = topics.filter((t): t is string => !!t).sort().join(' ');
  useEffect(() => {
    if (!socket || !key) return;
    const releases = key.split(' ').map((t) => socket.subscribe(t));
    return () => releases.forEach((r) => r());
  }, [socket, key]);
}

/** A room is on screen: the socket remembers its newest message for the catch-up. */
export function useRoomWatch(roomId: number | null, newestId: number | null): void {
  const socket = useUserSocket();
  useEffect(() => {
    if (!socket || !roomId) return;
    return socket.watchRoom(roomId);
  }, [socket, roomId]);
  useEffect(() => {
    if (socket && roomId && newestId) socket.noteMessageId(roomId, newestId);
  }, [socket, roomId, newestId]);
}

/** A person's presence, fetched on first sight and followed live (undefined: not known). */
export function usePresence(userId: number | null | undefined): PresenceStatus | undefined {
  useEffect(() => {
    if (userId) presence.request(userId);
  }, [userId]);
  return useSyncExternalStore(
    (cb) => presence.subscribe(cb),
    () => (userId ? presence.get(userId) : undefined),
  );
}
