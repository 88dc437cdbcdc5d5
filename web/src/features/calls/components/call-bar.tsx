import { Button, Space, Tooltip } from 'antd';
import { PhoneOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { useCalls } from './call-provider';

/** The room header's call buttons: start an audio or video call, or join the one going on. */
export function CallBar({ roomId, compact }: { roomId: number; compact?: boolean }) {
  const calls = useCalls();
  if (!calls) return null;
  const open = calls.openCalls.get(roomId);
  const inCall = !!calls.active;
  if (open && calls.active?.call.id !== open.id) {
    return (
      <Button type="primary" icon={open.media === 'video' ? <VideoCameraOutlined /> : <PhoneOutlined />} disabled={inCall} onClick={() => void calls.join(open)}>
        Join call
      </Button>
    );
  }
  return (
    <Space.Compact>
      <Tooltip title="Start audio call">
        <Button aria-label="Start audio call" icon={<PhoneOutlined />} disabled={inCall} onClick={() => void calls.start(roomId, 'audio')}>
          {!compact && 'Call'}
        </Button>
      </Tooltip>
      <Tooltip title="Start video call">
        <Button aria-label="Start video call" icon={<VideoCameraOutlined />} disabled={inCall} onClick={() => void calls.start(roomId, 'video')}>
          {!compact && 'Video'}
        </Button>
      </Tooltip>
    </Space.Compact>
  );
}
