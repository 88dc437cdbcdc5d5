import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallClientFrame } from '@/lib/realtime/frames';
import { CallMesh, mediaErrorMessage } from './mesh';

// A stand-in for RTCPeerConnection that records what the mesh does with it.
class FakeTrack {
  constructor(public kind: string) {}
}

class FakeTransceiver {
  direction = 'sendrecv';
  sender = { track: null as unknown, replaceTrack: vi.fn(async (t: unknown) => void (this.sender.track = t)), setStreams: vi.fn() };
  receiver: { track: FakeTrack };
  constructor(kind: string) {
    this.receiver = { track: new FakeTrack(kind) };
  }
}

class FakePeerConnection {
  static made: FakePeerConnection[] = [];
  transceivers: FakeTransceiver[] = [];
  localDescription: { type: string; sdp: string } | null = null;
  remote: { type: string; sdp: string } | null = null;
  added: RTCIceCandidateInit[] = [];
  connectionState = 'new';
  onicecandidate: ((e: { candidate: unknown }) => void) | null = null;
  ontrack = null;
  onconnectionstatechange = null;
  closed = false;
  constructor(public config: RTCConfiguration) {
    FakePeerConnection.made.push(this);
  }
  addTransceiver(trackOrKind: FakeTrack | string) {
    const t = new FakeTransceiver(typeof trackOrKind === 'string' ? trackOrKind : trackOrKind.kind);
    this.transceivers.push(t);
    return t;
  }
  getTransceivers() {
    return this.transceivers;
  }
  async createOffer() {
    return { type: 'offer', sdp: `offer with ${this.transceivers.length} m-lines` };
  }
  async createAnswer() {
    return { type: 'answer', sdp: 'answer' };
  }
  async setLocalDescription(d: { type: string; sdp: string }) {
    this.localDescription = d;
  }
  async setRemoteDescription(d: { type: string; sdp: string }) {
    this.remote = d;
    if (d.type === 'offer') this.transceivers = [new FakeTransceiver('audio'), new FakeTransceiver('video')];
  }
  async addIceCandidate(c: RTCIceCandidateInit) {
    this.added.push(c);
  }
  close() {
    this.closed = true;
  }
}

function localStream(kinds: string[]) {
  const tracks = kinds.map((k) => new FakeTrack(k));
  return { getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'), getVideoTracks: () => tracks.filter((t) => t.kind === 'video') } as unknown as MediaStream;
}

describe('CallMesh', () => {
  let sent: CallClientFrame[];
  beforeEach(() => {
    sent = [];
    FakePeerConnection.made = [];
    vi.stubGlobal('RTCPeerConnection', FakePeerConnection);
    vi.stubGlobal('MediaStream', class {});
  });
  afterEach(() => vi.unstubAllGlobals());

  const mesh = (kinds = ['audio']) =>
    new CallMesh({ callId: 7, local: localStream(kinds), config: { iceTransportPolicy: 'relay' }, send: (f) => sent.push(f), onChange: () => {} });

  it('offers to a person with an audio and a video transceiver, even in an audio call', async () => {
    const m = mesh(['audio']);
    await m.connectTo(5);
    const pc = FakePeerConnection.made[0];
    expect(pc.config.iceTransportPolicy).toBe('relay');
    expect(pc.transceivers.map((t) => t.receiver.track.kind)).toEqual(['audio', 'video']);
    expect(sent).toEqual([{ type: 'call_offer', call_id: 7, to_user_id: 5, sdp: 'offer with 2 m-lines' }]);
    // Connecting twice to the same person makes one connection.
    await m.connectTo(5);
    expect(FakePeerConnection.made).toHaveLength(1);
  });

  it('answers an offer with its own tracks, and holds ICE candidates until the offer is in', async () => {
    const m = mesh(['audio', 'video']);
    await m.handle({ type: 'call_ice', call_id: 7, from_user_id: 3, candidate: { candidate: 'candidate:1', sdp_mid: '0', sdp_m_line_index: 0 } });
    const pc = FakePeerConnection.made[0];
    expect(pc.added).toEqual([]);
    await m.handle({ type: 'call_offer', call_id: 7, from_user_id: 3, sdp: 'their offer' });
    expect(pc.remote).toEqual({ type: 'offer', sdp: 'their offer' });
    expect(pc.transceivers.map((t) => (t.sender.track as FakeTrack | null)?.kind)).toEqual(['audio', 'video']);
    expect(sent).toEqual([{ type: 'call_answer', call_id: 7, to_user_id: 3, sdp: 'answer' }]);
    expect(pc.added).toEqual([{ candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: undefined }]);
  });

  it('ignores signalling for another call, and sends its own candidates in snake_case', async () => {
    const m = mesh();
    await m.handle({ type: 'call_offer', call_id: 8, from_user_id: 3, sdp: 'x' });
    expect(FakePeerConnection.made).toHaveLength(0);
    await m.connectTo(4);
    FakePeerConnection.made[0].onicecandidate?.({ candidate: { candidate: 'candidate:2', sdpMid: '1', sdpMLineIndex: 1, usernameFragment: 'u' } });
    expect(sent.at(-1)).toEqual({
      type: 'call_ice',
      call_id: 7,
      to_user_id: 4,
      candidate: { candidate: 'candidate:2', sdp_mid: '1', sdp_m_line_index: 1, username_fragment: 'u' },
    });
    m.remove(4);
    expect(FakePeerConnection.made[0].closed).toBe(true);
  });
});

describe('mediaErrorMessage', () => {
  it('says what to do for a refused permission, a missing device and a busy one', () => {
    expect(mediaErrorMessage(new DOMException('x', 'NotAllowedError'), 'video')).toMatch(/denied.*site settings/);
    expect(mediaErrorMessage(new DOMException('x', 'NotFoundError'), 'audio')).toBe('No microphone was found. Connect one and try again.');
    expect(mediaErrorMessage(new DOMException('x', 'NotReadableError'), 'video')).toMatch(/in use by another application/);
  });
});
