import { useEffect, useRef, useState } from 'react';
import { App, Button, Popover, Space, Tooltip } from 'antd';
import { AudioOutlined, CloseOutlined, SendOutlined } from '@ant-design/icons';
import { bucketPeaks, clock, fileNameFor, recordingType, waveformOf } from './waveform';

export interface VoiceClip {
  file: File;
  waveform: number[] | null;
}

interface Props {
  disabled?: boolean;
  onSend: (clip: VoiceClip) => Promise<void> | void;
}

// The server takes up to 5:00; stopping a little early leaves room for the encoder's last packet.
const MAX_MS = 299_500;

interface Session {
  stream: MediaStream;
  recorder: MediaRecorder;
  chunks: Blob[];
  startedAt: number;
  levels: number[];
  audio: AudioContext | null;
  timer: ReturnType<typeof setInterval>;
  send: boolean;
}

/** What went wrong getting the microphone, in words a person can act on. */
export function microphoneProblem(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this site in the browser’s settings, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one (or pick one in your system settings) and try again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be started: another application may be using it.';
    default:
      return 'Recording could not start.';
  }
}

/**
 * A microphone button: press to record, then send or cancel. While recording it shows the time;
 * levels are sampled with Web Audio as it goes, so a waveform exists even where the browser cannot
 * decode its own recording afterwards.
 */
export function VoiceRecorder({ disabled, onSend }: Props) {
  const { message } = App.useApp();
  const [state, setState] = useState<'idle' | 'starting' | 'recording' | 'sending'>('idle');
  const [elapsed, setElapsed] = useState(0);
  const session = useRef<Session | null>(null);

  const release = (s: Session) => {
    clearInterval(s.timer);
    s.stream.getTracks().forEach((t) => t.stop());
    void s.audio?.close();
  };

  // Leaving the room mid-recording throws the recording away and frees the microphone.
  useEffect(
    () => () => {
      const s = session.current;
      session.current = null;
      if (!s) return;
      s.send = false;
      if (s.recorder.state !== 'inactive') s.recorder.stop();
      release(s);
    },
    [],
  );

  const start = async () => {
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      message.error('This browser cannot record audio here (recording needs a secure https:// address).');
      return;
    }
    setState('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      setState('idle');
      message.error(microphoneProblem(err));
      return;
    }
    const type = recordingType((t) => MediaRecorder.isTypeSupported(t));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    } catch {
      stream.getTracks().forEach((t) => t.stop());
      setState('idle');
      message.error('This browser cannot record audio in a format voice messages take (Opus or AAC).');
      return;
    }
    const levels: number[] = [];
    let audio: AudioContext | null = null;
    let analyser: AnalyserNode | null = null;
    try {
      audio = new AudioContext();
      analyser = audio.createAnalyser();
      analyser.fftSize = 1024;
      audio.createMediaStreamSource(stream).connect(analyser);
    } catch {
      audio = null;
    }
    const frame = new Float32Array(1024);
    const s: Session = {
      stream,
      recorder,
      chunks: [],
      startedAt: performance.now(),
      levels,
      audio,
      send: false,
      timer: setInterval(() => {
        const ms = performance.now() - s.startedAt;
        setElapsed(ms);
        if (analyser) {
          analyser.getFloatTimeDomainData(frame);
          let peak = 0;
          for (const v of frame) peak = Math.max(peak, Math.abs(v));
          levels.push(peak);
        }
        if (ms >= MAX_MS) finish(true);
      }, 100),
    };
    recorder.ondataavailable = (e) => {
      if (e.data.size > 0) s.chunks.push(e.data);
    };
    recorder.onstop = () => void done(s);
    session.current = s;
    recorder.start();
    setElapsed(0);
    setState('recording');
  };

  const finish = (send: boolean) => {
    const s = session.current;
    if (!s || s.recorder.state === 'inactive') return;
    s.send = send;
    setState(send ? 'sending' : 'idle');
    s.recorder.stop();
  };

  const done = async (s: Session) => {
    release(s);
    if (session.current === s) session.current = null;
    if (!s.send) return;
    const mime = s.recorder.mimeType || s.chunks[0]?.type || 'audio/webm';
    const blob = new Blob(s.chunks, { type: mime });
    const file = new File([blob], fileNameFor(mime), { type: mime });
    const waveform = (await waveformOf(blob)) ?? (s.levels.length > 0 ? bucketPeaks(s.levels) : null);
    try {
      await onSend({ file, waveform });
    } finally {
      setState('idle');
    }
  };

  const recording = state === 'recording' || state === 'sending';
  const panel = (
    <Space align="center" role="group" aria-label="Voice recording">
      <span aria-hidden style={{ width: 10, height: 10, borderRadius: 5, background: '#cf1322', display: 'inline-block' }} />
      <span role="timer" aria-label="Recording time" style={{ fontVariantNumeric: 'tabular-nums', minWidth: 40 }}>
        {clock(elapsed)}
      </span>
      <Button size="small" icon={<CloseOutlined />} onClick={() => finish(false)} disabled={state === 'sending'}>
        Cancel
      </Button>
      <Button size="small" type="primary" icon={<SendOutlined />} onClick={() => finish(true)} loading={state === 'sending'} aria-label="Send voice message">
        Send
      </Button>
    </Space>
  );

  return (
    <Popover open={recording} content={panel} placement="topLeft" arrow={false}>
      <Tooltip title={recording ? undefined : 'Record a voice message'}>
        <Button
          icon={<AudioOutlined />}
          aria-label="Record voice message"
          aria-pressed={recording}
          danger={recording}
          loading={state === 'starting'}
          onClick={() => (recording ? finish(true) : void start())}
          disabled={disabled || state === 'sending'}
        />
      </Tooltip>
    </Popover>
  );
}
