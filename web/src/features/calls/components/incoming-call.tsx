import { useEffect } from 'react';
import { Button, Card, Space, Typography } from 'antd';
import { PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import type { Call } from '../api/calls';

/** A soft two-tone ring while the notice is up; browsers that block sound before a click just stay quiet. */
function useRingTone(on: boolean) {
  useEffect(() => {
    if (!on || typeof AudioContext === 'undefined') return;
    let ctx: AudioContext | null = null;
    try {
      ctx = new AudioContext();
    } catch {
      return;
    }
    const audio = ctx;
    const ring = () => {
      if (audio.state !== 'running') return;
      const gain = audio.createGain();
      gain.gain.value = 0.05;
      gain.connect(audio.destination);
      for (const [freq, at] of [
        [440, 0],
        [480, 0.4],
      ] as const) {
        const osc = audio.createOscillator();
        osc.frequency.value = freq;
        osc.connect(gain);
        osc.start(audio.currentTime + at);
        osc.stop(audio.currentTime + at + 0.35);
      }
    };
    ring();
    const timer = window.setInterval(ring, 2500);
    return () => {
      window.clearInterval(timer);
      void audio.close();
    };
  }, [on]);
}

interface Props {
  call: Call;
  roomName?: string;
  onAccept: () => void;
  onDecline: () => void;
}

/** Shown on whatever page the person is on while a call rings for them. */
export function IncomingCall({ call, roomName, onAccept, onDecline }: Props) {
  useRingTone(true);
  const caller = call.started_by.display_name || call.started_by.username;
  const kind = call.media === 'video' ? 'Video call' : 'Audio call';
  return (
    <Card
      role="alertdialog"
      aria-label={`Incoming ${kind.toLowerCase()} from ${caller}`}
      aria-describedby="sb-incoming-call-text"
      size="small"
      style={{ position: 'fixed', top: 72, right: 16, zIndex: 1100, width: 300, boxShadow: '0 6px 24px rgba(0,0,0,0.2)' }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text strong>
          {call.media === 'video' ? <VideoCameraOutlined /> : <PhoneOutlined />} {kind}
        </Typography.Text>
        <Typography.Text id="sb-incoming-call-text">
          {caller} is calling{roomName ? ` in ${roomName}` : ''}…
        </Typography.Text>
        <Space>
          <Button type="primary" icon={<PhoneOutlined />} onClick={onAccept} autoFocus>
            Accept
          </Button>
          <Button danger onClick={onDecline}>
            Decline
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
