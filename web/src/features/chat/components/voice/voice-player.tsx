import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { Button } from 'antd';
import { CaretRightOutlined, PauseOutlined } from '@ant-design/icons';
import { fetchBlob } from '@/lib/api-client';
import type { ChatMessage } from '../../types';
import { clock, WAVEFORM_BARS } from './waveform';

const SPEEDS = [1, 1.5, 2];
const FLAT = new Array<number>(WAVEFORM_BARS).fill(48);

/**
 * A voice message played in place: play/pause, its waveform with the played part coloured (click
 * or arrow keys to seek), position and length, and 1×/1.5×/2× speed. The length is the server's
 * measurement: a browser's own WebM recordings often report no duration at all.
 */
export function VoicePlayer({ message }: { message: ChatMessage }) {
  const audio = useRef<HTMLAudioElement>(null);
  const [src, setSrc] = useState(message.attachment_url);
  const [triedBlob, setTriedBlob] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [speed, setSpeed] = useState(1);
  const [failed, setFailed] = useState(false);
  const fromServer = message.duration_ms ?? 0;
  const [durationMs, setDurationMs] = useState(fromServer);
  const bars = message.waveform && message.waveform.length > 0 ? message.waveform : FLAT;
  const progress = durationMs > 0 ? Math.min(1, position / durationMs) : 0;

  useEffect(() => {
    setSrc(message.attachment_url);
    setTriedBlob(false);
  }, [message.attachment_url]);
  useEffect(() => () => {
    if (src?.startsWith('blob:')) URL.revokeObjectURL(src);
  }, [src]);
  useEffect(() => {
    if (audio.current) audio.current.playbackRate = speed;
  }, [speed, src]);

  if (!src) return null;

  const toggle = async () => {
    const el = audio.current;
    if (!el) return;
    if (!el.paused) {
      el.pause();
      return;
    }
    try {
      setFailed(false);
      await el.play();
    } catch {
      setFailed(true);
    }
  };

  const seekTo = (ms: number) => {
    const el = audio.current;
    if (!el || durationMs <= 0) return;
    const target = Math.max(0, Math.min(durationMs, ms));
    el.currentTime = target / 1000;
    setPosition(target);
  };

  const onBarsClick = (e: MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width > 0) seekTo(((e.clientX - box.left) / box.width) * durationMs);
  };

  const onBarsKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowRight: 5_000, ArrowUp: 5_000, ArrowLeft: -5_000, ArrowDown: -5_000 }[e.key];
    if (step !== undefined) seekTo(position + step);
    else if (e.key === 'Home') seekTo(0);
    else if (e.key === 'End') seekTo(durationMs);
    else return;
    e.preventDefault();
  };

  return (
    <div className="sb-voice" style={{ display: 'flex', alignItems: 'center', gap: 8, marginTop: 4, maxWidth: 420 }}>
      <audio
        ref={audio}
        src={src}
        preload="metadata"
        onPlay={() => setPlaying(true)}
        onPause={() => setPlaying(false)}
        onEnded={() => {
          setPlaying(false);
          setPosition(0);
        }}
        onTimeUpdate={(e) => setPosition(e.currentTarget.currentTime * 1000)}
        onLoadedMetadata={(e) => {
          const d = e.currentTarget.duration;
          if (!fromServer && Number.isFinite(d)) setDurationMs(d * 1000);
        }}
        onError={() => {
          // A signed link that expired or an older server: fetch with the bearer token instead.
          if (triedBlob || !message.attachment_url) {
            setFailed(true);
            return;
          }
          setTriedBlob(true);
          fetchBlob(message.attachment_url)
            .then((b) => setSrc(URL.createObjectURL(b)))
            .catch(() => setFailed(true));
        }}
      />
      <Button
        shape="circle"
        type="primary"
        icon={playing ? <PauseOutlined /> : <CaretRightOutlined />}
        aria-label={playing ? 'Pause voice message' : 'Play voice message'}
        onClick={() => void toggle()}
      />
      <div
        role="slider"
        tabIndex={0}
        aria-label="Voice message position"
        aria-valuemin={0}
        aria-valuemax={Math.round(durationMs / 1000)}
        aria-valuenow={Math.round(position / 1000)}
        aria-valuetext={`${clock(position)} of ${clock(durationMs)}`}
        onClick={onBarsClick}
        onKeyDown={onBarsKey}
        style={{ display: 'flex', alignItems: 'center', gap: 1, height: 32, flex: 1, minWidth: 120, cursor: 'pointer' }}
      >
        {bars.map((v, i) => (
          <span
            key={i}
            aria-hidden
            style={{
              flex: 1,
              height: `${Math.max(8, Math.round((v / 255) * 100))}%`,
              borderRadius: 1,
              background: (i + 0.5) / bars.length <= progress ? '#0958d9' : '#bfbfbf',
            }}
          />
        ))}
      </div>
      <span style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }} aria-live="off">
        {clock(position)} / {clock(durationMs)}
      </span>
      <Button
        size="small"
        aria-label={`Playback speed ${speed}×, change`}
        onClick={() => setSpeed((s) => SPEEDS[(SPEEDS.indexOf(s) + 1) % SPEEDS.length])}
      >
        {speed}×
      </Button>
      {failed && (
        <span role="alert" style={{ fontSize: 12, color: '#a8071a' }}>
          Could not play this recording.
        </span>
      )}
    </div>
  );
}
