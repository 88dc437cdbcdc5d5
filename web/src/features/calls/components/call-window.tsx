import { useEffect, useRef } from 'react';
import { Alert, Button, Space, Tooltip, Typography } from 'antd';
import { AudioMutedOutlined, AudioOutlined, DesktopOutlined, PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import type { User } from '@/types/api';
import type { ActiveCall } from './call-provider';

interface Props {
  active: ActiveCall;
  myId: number;
  screen: MediaStreamTrack | null;
  toggleMute: () => void;
  toggleCamera: () => Promise<void>;
  toggleShare: () => Promise<void>;
  hangUp: () => Promise<void>;
}

const STATE_TEXT: Record<RTCPeerConnectionState, string> = {
  new: 'Connecting…',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Reconnecting…',
  failed: 'Connection failed',
  closed: 'Left',
};

function Tile({ stream, name, muted, status, mirrored }: { stream: MediaStream; name: string; muted: boolean; status?: string; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  const hasVideo = stream.getVideoTracks().some((t) => t.readyState === 'live');
  return (
    <figure className="sb-call-tile" style={{ margin: 0, position: 'relative', background: '#141414', borderRadius: 6, overflow: 'hidden', aspectRatio: '4 / 3' }}>
      <video
        ref={ref}
        autoPlay
        playsInline
        muted={muted}
        aria-label={`Video of ${name}`}
        style={{ width: '100%', height: '100%', objectFit: 'cover', transform: mirrored ? 'scaleX(-1)' : undefined, display: hasVideo ? 'block' : 'none' }}
      />
      {!hasVideo && (
        <div aria-hidden style={{ position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', color: '#fff', fontSize: 32 }}>
          {name.slice(0, 1).toUpperCase()}
        </div>
      )}
      <figcaption style={{ position: 'absolute', left: 6, bottom: 6, color: '#fff', background: 'rgba(0,0,0,0.65)', padding: '0 6px', borderRadius: 4, fontSize: 12 }}>
        {name}
        {status ? ` · ${status}` : ''}
      </figcaption>
    </figure>
  );
}

/** The call: a tile per person (the mesh has at most four) and the controls. */
export function CallWindow({ active, myId, screen, toggleMute, toggleCamera, toggleShare, hangUp }: Props) {
  const people = new Map<number, User>(active.call.participants.map((p) => [p.user.id, p.user]));
  const nameOf = (id: number) => {
    const u = people.get(id);
    return u ? u.display_name || u.username : `User ${id}`;
  };
  const waiting = active.remotes.length === 0;
  const localPreview = screen ? new MediaStream([screen]) : active.local;
  return (
    <section
      aria-label="Call"
      style={{
        position: 'fixed',
        right: 16,
        bottom: 16,
        zIndex: 1050,
        width: 'min(560px, calc(100vw - 32px))',
        background: '#fff',
        borderRadius: 8,
        boxShadow: '0 6px 24px rgba(0,0,0,0.25)',
        padding: 12,
      }}
    >
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {active.call.media === 'video' ? 'Video call' : 'Audio call'}
        {waiting ? ' · waiting for others…' : ''}
      </Typography.Title>
      {active.warning && <Alert type="warning" showIcon title={active.warning} style={{ marginBottom: 8 }} />}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 8 }}>
        <Tile stream={localPreview} name={`${nameOf(myId)} (you)`} muted mirrored={!screen} status={active.muted ? 'muted' : undefined} />
        {active.remotes.map((r) => (
          <Tile key={r.userId} stream={r.stream} name={nameOf(r.userId)} muted={false} status={STATE_TEXT[r.state]} />
        ))}
      </div>
      <Space wrap style={{ marginTop: 12 }}>
        <Tooltip title={active.muted ? 'Unmute' : 'Mute'}>
          <Button aria-pressed={active.muted} icon={active.muted ? <AudioMutedOutlined /> : <AudioOutlined />} onClick={toggleMute}>
            {active.muted ? 'Unmute' : 'Mute'}
          </Button>
        </Tooltip>
        <Button aria-pressed={active.cameraOff} icon={<VideoCameraOutlined />} onClick={() => void toggleCamera()}>
          {active.cameraOff ? 'Camera on' : 'Camera off'}
        </Button>
        <Button aria-pressed={active.sharing} icon={<DesktopOutlined />} onClick={() => void toggleShare()}>
          {active.sharing ? 'Stop sharing' : 'Share screen'}
        </Button>
        <Button danger type="primary" icon={<PhoneOutlined rotate={135} />} onClick={() => void hangUp()}>
          Hang up
        </Button>
      </Space>
    </section>
  );
}
