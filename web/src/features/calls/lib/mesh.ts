import type { CallClientFrame, IceCandidateWire } from '@/lib/realtime/frames';

export type SignalFrame =
  | { type: 'call_offer'; call_id: number; from_user_id: number; sdp: string }
  | { type: 'call_answer'; call_id: number; from_user_id: number; sdp: string }
  | { type: 'call_ice'; call_id: number; from_user_id: number; candidate: IceCandidateWire };

export interface RemotePeer {
  userId: number;
  stream: MediaStream;
  state: RTCPeerConnectionState;
}

interface Peer {
  pc: RTCPeerConnection;
  stream: MediaStream;
  // Candidates that arrive before the remote description cannot be added yet.
  pendingIce: RTCIceCandidateInit[];
  remoteSet: boolean;
}

export interface MeshOptions {
  callId: number;
  local: MediaStream;
  config: RTCConfiguration;
  send: (frame: CallClientFrame) => void;
  onChange: () => void;
  onError?: (err: unknown) => void;
}

/**
 * One RTCPeerConnection per other person in the call (a full mesh; fine up to four people).
 * Whoever joins offers to everyone already in; the others answer, so two sides never offer to
 * each other at once. Every connection has one audio and one video transceiver from the start,
 * even in an audio call, so turning the camera or a screen share on is a replaceTrack and never
 * a renegotiation.
 */
export class CallMesh {
  private peers = new Map<number, Peer>();
  private video: MediaStreamTrack | null;
  private closed = false;

  constructor(private readonly opts: MeshOptions) {
    this.video = opts.local.getVideoTracks()[0] ?? null;
  }

  get remotes(): RemotePeer[] {
    return [...this.peers.entries()].map(([userId, p]) => ({ userId, stream: p.stream, state: p.pc.connectionState }));
  }

  /** The connection to a person, for statistics. */
  connection(userId: number): RTCPeerConnection | undefined {
    return this.peers.get(userId)?.pc;
  }

  async connectTo(userId: number): Promise<void> {
    if (this.closed || this.peers.has(userId)) return;
    const peer = this.create(userId);
    const audio = this.opts.local.getAudioTracks()[0];
    peer.pc.addTransceiver(audio ?? 'audio', { direction: 'sendrecv', streams: [this.opts.local] });
    peer.pc.addTransceiver(this.video ?? 'video', { direction: 'sendrecv', streams: [this.opts.local] });
    try {
      await peer.pc.setLocalDescription(await peer.pc.createOffer());
      this.opts.send({ type: 'call_offer', call_id: this.opts.callId, to_user_id: userId, sdp: peer.pc.localDescription!.sdp });
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  async handle(frame: SignalFrame): Promise<void> {
    if (this.closed || frame.call_id !== this.opts.callId) return;
    const from = frame.from_user_id;
    try {
      if (frame.type === 'call_offer') {
        const peer = this.peers.get(from) ?? this.create(from);
        await peer.pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
        await this.attachLocal(peer.pc);
        await peer.pc.setLocalDescription(await peer.pc.createAnswer());
        this.opts.send({ type: 'call_answer', call_id: this.opts.callId, to_user_id: from, sdp: peer.pc.localDescription!.sdp });
        await this.remoteReady(peer);
      } else if (frame.type === 'call_answer') {
        const peer = this.peers.get(from);
        if (!peer) return;
        await peer.pc.setRemoteDescription({ type: 'answer', sdp: frame.sdp });
        await this.remoteReady(peer);
      } else {
        const peer = this.peers.get(from) ?? this.create(from);
        const init: RTCIceCandidateInit = {
          candidate: frame.candidate.candidate,
          sdpMid: frame.candidate.sdp_mid,
          sdpMLineIndex: frame.candidate.sdp_m_line_index,
          usernameFragment: frame.candidate.username_fragment ?? undefined,
        };
        if (peer.remoteSet) await peer.pc.addIceCandidate(init);
        else peer.pendingIce.push(init);
      }
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  remove(userId: number): void {
    const peer = this.peers.get(userId);
    if (!peer) return;
    peer.pc.close();
    this.peers.delete(userId);
    this.opts.onChange();
  }

  /** Sends this track as the video (camera, screen, or nothing) to everyone. */
  async setVideo(track: MediaStreamTrack | null): Promise<void> {
    this.video = track;
    await Promise.all(
      [...this.peers.values()].map((p) => this.videoTransceiver(p.pc)?.sender.replaceTrack(track).catch((err) => this.opts.onError?.(err))),
    );
  }

  close(): void {
    this.closed = true;
    for (const peer of this.peers.values()) peer.pc.close();
    this.peers.clear();
  }

  private create(userId: number): Peer {
    const pc = new RTCPeerConnection(this.opts.config);
    const peer: Peer = { pc, stream: new MediaStream(), pendingIce: [], remoteSet: false };
    this.peers.set(userId, peer);
    pc.onicecandidate = (e) => {
      if (!e.candidate || !e.candidate.candidate) return;
      this.opts.send({
        type: 'call_ice',
        call_id: this.opts.callId,
        to_user_id: userId,
        candidate: {
          candidate: e.candidate.candidate,
          sdp_mid: e.candidate.sdpMid,
          sdp_m_line_index: e.candidate.sdpMLineIndex,
          username_fragment: e.candidate.usernameFragment,
        },
      });
    };
    pc.ontrack = (e) => {
      // A new stream object makes React's tiles notice the change.
      const tracks = peer.stream.getTracks().filter((t) => t.kind !== e.track.kind);
      peer.stream = new MediaStream([...tracks, e.track]);
      this.opts.onChange();
    };
    pc.onconnectionstatechange = () => this.opts.onChange();
    this.opts.onChange();
    return peer;
  }

  /** The answering side fills the offer's transceivers with its own tracks. */
  private async attachLocal(pc: RTCPeerConnection): Promise<void> {
    const audio = this.opts.local.getAudioTracks()[0] ?? null;
    for (const t of pc.getTransceivers()) {
      const kind = t.receiver.track.kind;
      t.direction = 'sendrecv';
      await t.sender.replaceTrack(kind === 'audio' ? audio : this.video);
      t.sender.setStreams?.(this.opts.local);
    }
  }

  private async remoteReady(peer: Peer): Promise<void> {
    peer.remoteSet = true;
    const queued = peer.pendingIce.splice(0);
    for (const c of queued) await peer.pc.addIceCandidate(c);
  }

  private videoTransceiver(pc: RTCPeerConnection): RTCRtpTransceiver | undefined {
    return pc.getTransceivers().find((t) => t.receiver.track.kind === 'video');
  }
}

/** A sentence for a person about why the microphone or camera could not be used. */
export function mediaErrorMessage(err: unknown, media: 'audio' | 'video'): string {
  const device = media === 'video' ? 'camera or microphone' : 'microphone';
  const name = err instanceof DOMException || (err instanceof Error && 'name' in err) ? (err as { name: string }).name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Permission to use your ${device} was denied. Allow it in the browser's site settings and try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${device} was found. Connect one and try again.`;
    case 'NotReadableError':
    case 'AbortError':
      return `Your ${device} is in use by another application, or could not be started.`;
    case 'NoMediaDevices':
      return 'Calls need a secure connection (HTTPS) and a browser with media devices.';
    default:
      return `Could not start your ${device}${err instanceof Error && err.message ? `: ${err.message}` : '.'}`;
  }
}

/**
 * The microphone (and camera for a video call). A video call without a camera still goes ahead
 * with sound only; `warning` then says why.
 */
export async function openLocalMedia(media: 'audio' | 'video'): Promise<{ stream: MediaStream; warning: string | null }> {
  if (!navigator.mediaDevices?.getUserMedia) {
    const err = new Error('No media devices');
    err.name = 'NoMediaDevices';
    throw err;
  }
  if (media === 'audio') return { stream: await navigator.mediaDevices.getUserMedia({ audio: true }), warning: null };
  try {
    return { stream: await navigator.mediaDevices.getUserMedia({ audio: true, video: true }), warning: null };
  } catch (err) {
    if (!(err instanceof DOMException) || !['NotFoundError', 'NotReadableError', 'OverconstrainedError'].includes(err.name)) throw err;
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return { stream, warning: `${mediaErrorMessage(err, 'video').replace('camera or microphone', 'camera')} You joined with sound only.` };
  }
}
