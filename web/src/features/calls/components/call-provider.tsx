import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { App } from 'antd';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useAuth } from '@/lib/auth/auth-context';
import { useSocketListener, useUserSocket } from '@/lib/realtime/realtime-context';
import { declineCall, getIceServers, joinCall, joinedIds, leaveCall, startCall, type Call, type CallMedia } from '../api/calls';
import { CallMesh, mediaErrorMessage, openLocalMedia, type RemotePeer, type SignalFrame } from '../lib/mesh';
import { CallWindow } from './call-window';
import { IncomingCall } from './incoming-call';

/** Set to "relay" (in the browser's local storage) to send this browser's call media through TURN only: a check of a TURN setup. */
export const ICE_POLICY_OVERRIDE_KEY = 'switchboard.call.iceTransportPolicy';

export interface ActiveCall {
  call: Call;
  local: MediaStream;
  remotes: RemotePeer[];
  muted: boolean;
  cameraOff: boolean;
  sharing: boolean;
  warning: string | null;
}

interface CallsValue {
  active: ActiveCall | null;
  /** Open calls learned from the socket, by room. */
  openCalls: Map<number, Call>;
  start: (roomId: number, media: CallMedia) => Promise<void>;
  join: (call: Call) => Promise<void>;
}

const CallsContext = createContext<CallsValue | null>(null);

export function useCalls(): CallsValue | null {
  return useContext(CallsContext);
}

/** The person's calls wherever they are in the app: ringing, the call window, and the connections behind it. */
export function CallProvider({ children, roomName }: { children: ReactNode; roomName?: (roomId: number) => string | undefined }) {
  const { user } = useAuth();
  const socket = useUserSocket();
  const { message } = App.useApp();
  const [openCalls, setOpenCalls] = useState<Map<number, Call>>(new Map());
  const [incoming, setIncoming] = useState<Call | null>(null);
  const [active, setActive] = useState<ActiveCall | null>(null);
  const mesh = useRef<CallMesh | null>(null);
  const camera = useRef<MediaStreamTrack | null>(null);
  const screen = useRef<MediaStreamTrack | null>(null);
  const busy = useRef(false);
  const myId = user?.id ?? 0;

  const refresh = useCallback(() => setActive((a) => (a && mesh.current ? { ...a, remotes: mesh.current.remotes } : a)), []);

  const teardown = useCallback(() => {
    mesh.current?.close();
    mesh.current = null;
    screen.current?.stop();
    screen.current = null;
    setActive((a) => {
      a?.local.getTracks().forEach((t) => t.stop());
      return null;
    });
  }, []);

  // Leaving the page hangs up, so the others are not left waiting for a ghost.
  useEffect(() => {
    const id = active?.call.id;
    if (!id) return;
    const onUnload = () => {
      void leaveCall(id).catch(() => undefined);
    };
    window.addEventListener('pagehide', onUnload);
    return () => window.removeEventListener('pagehide', onUnload);
  }, [active?.call.id]);

  const enter = useCallback(
    async (call: Call, begin: () => Promise<Call>) => {
      if (busy.current || mesh.current) {
        message.warning('You are already in a call.');
        return;
      }
      busy.current = true;
      let local: MediaStream | null = null;
      try {
        const media = await openLocalMedia(call.media);
        local = media.stream;
        const ice = await getIceServers();
        const joined = await begin();
        const override = window.localStorage.getItem(ICE_POLICY_OVERRIDE_KEY);
        const policy = override === 'relay' ? 'relay' : ice.ice_transport_policy;
        const stream = local;
        camera.current = stream.getVideoTracks()[0] ?? null;
        mesh.current = new CallMesh({
          callId: joined.id,
          local: stream,
          config: { iceServers: ice.ice_servers, iceTransportPolicy: policy },
          send: (f) => socket?.send(f),
          onChange: refresh,
          onError: (err) => console.warn('call connection', err),
        });
        setActive({ call: joined, local: stream, remotes: [], muted: false, cameraOff: !camera.current, sharing: false, warning: media.warning });
        setIncoming(null);
        // The newcomer offers to everyone already in the call.
        for (const id of joinedIds(joined)) if (id !== myId) void mesh.current.connectTo(id);
      } catch (err) {
        local?.getTracks().forEach((t) => t.stop());
        const isMedia = err instanceof DOMException || (err instanceof Error && err.name === 'NoMediaDevices');
        message.error(isMedia ? mediaErrorMessage(err, call.media) : errorMessage(err));
      } finally {
        busy.current = false;
      }
    },
    [message, myId, refresh, socket],
  );

  const start = useCallback(
    (roomId: number, media: CallMedia) =>
      enter({ id: 0, room: roomId, media } as Call, async () => {
        try {
          const call = await startCall(roomId, media);
          setOpenCalls((m) => new Map(m).set(roomId, call));
          return call;
        } catch (err) {
          // Someone started one first (or we missed its ring): join that call instead.
          const openId = err instanceof ApiError && err.status === 409 ? (err.problem as { call_id?: number }).call_id : undefined;
          if (!openId) throw err;
          return joinCall(openId);
        }
      }),
    [enter],
  );

  const join = useCallback((call: Call) => enter(call, () => joinCall(call.id)), [enter]);

  const hangUp = useCallback(async () => {
    const id = active?.call.id;
    teardown();
    if (id) await leaveCall(id).catch((err) => message.error(errorMessage(err)));
  }, [active?.call.id, message, teardown]);

  const decline = useCallback(
    async (call: Call) => {
      setIncoming(null);
      await declineCall(call.id).catch(() => undefined);
    },
    [],
  );

  useSocketListener({
    onFrame: (frame) => {
      if (!frame.type.startsWith('call_')) return;
      if (frame.type === 'call_offer' || frame.type === 'call_answer' || frame.type === 'call_ice') {
        void mesh.current?.handle(frame as SignalFrame);
        return;
      }
      const f = frame as { type: string; room_id: number; call: Call; user_id?: number };
      const call = f.call;
      setOpenCalls((m) => {
        const next = new Map(m);
        if (call.state === 'ended') next.delete(call.room);
        else next.set(call.room, call);
        return next;
      });
      const mine = call.participants.find((p) => p.user.id === myId);
      setIncoming((cur) => {
        if (f.type === 'call_ringing' && call.started_by.id !== myId && mine?.state === 'ringing') return call;
        if (cur?.id !== call.id) return cur;
        return call.state !== 'ended' && mine?.state === 'ringing' ? call : null;
      });
      setActive((a) => (a && a.call.id === call.id ? { ...a, call } : a));
      if (mesh.current && active?.call.id === call.id) {
        if (f.type === 'call_left' && f.user_id) mesh.current.remove(f.user_id);
        if (f.type === 'call_ended') {
          teardown();
          message.info('The call ended.');
        }
      }
    },
  });

  // A ring runs out by itself after a minute even if the end never reached us.
  useEffect(() => {
    if (!incoming) return;
    const t = window.setTimeout(() => setIncoming((c) => (c?.id === incoming.id ? null : c)), 60_000);
    return () => window.clearTimeout(t);
  }, [incoming]);

  useEffect(() => () => teardown(), [teardown]);

  const controls = useMemo(
    () => ({
      toggleMute: () =>
        setActive((a) => {
          if (!a) return a;
          a.local.getAudioTracks().forEach((t) => (t.enabled = a.muted));
          return { ...a, muted: !a.muted };
        }),
      toggleCamera: async () => {
        if (!active) return;
        if (!camera.current) {
          try {
            const s = await navigator.mediaDevices.getUserMedia({ video: true });
            camera.current = s.getVideoTracks()[0];
            active.local.addTrack(camera.current);
            if (!screen.current) await mesh.current?.setVideo(camera.current);
            setActive((a) => (a ? { ...a, cameraOff: false } : a));
          } catch (err) {
            message.error(mediaErrorMessage(err, 'video').replace('camera or microphone', 'camera'));
          }
          return;
        }
        const off = !active.cameraOff;
        camera.current.enabled = !off;
        setActive((a) => (a ? { ...a, cameraOff: off } : a));
      },
      toggleShare: async () => {
        if (!active) return;
        if (screen.current) {
          screen.current.stop();
          screen.current = null;
          await mesh.current?.setVideo(camera.current);
          setActive((a) => (a ? { ...a, sharing: false } : a));
          return;
        }
        try {
          if (!navigator.mediaDevices?.getDisplayMedia) throw new Error('This browser cannot share its screen.');
          const s = await navigator.mediaDevices.getDisplayMedia({ video: true });
          const track = s.getVideoTracks()[0];
          screen.current = track;
          // The browser's own "Stop sharing" button ends the track.
          track.onended = () => {
            if (screen.current !== track) return;
            screen.current = null;
            void mesh.current?.setVideo(camera.current);
            setActive((a) => (a ? { ...a, sharing: false } : a));
          };
          await mesh.current?.setVideo(track);
          setActive((a) => (a ? { ...a, sharing: true } : a));
        } catch (err) {
          if (err instanceof DOMException && err.name === 'NotAllowedError') message.info('Screen sharing was cancelled.');
          else message.error(errorMessage(err));
        }
      },
      hangUp,
    }),
    [active, hangUp, message],
  );

  const value = useMemo(() => ({ active, openCalls, start, join }), [active, openCalls, start, join]);

  return (
    <CallsContext.Provider value={value}>
      {children}
      {incoming && !active && (
        <IncomingCall call={incoming} roomName={roomName?.(incoming.room)} onAccept={() => void join(incoming)} onDecline={() => void decline(incoming)} />
      )}
      {active && <CallWindow active={active} myId={myId} screen={screen.current} {...controls} />}
    </CallsContext.Provider>
  );
}
