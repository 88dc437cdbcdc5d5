/** How many bars a voice message's waveform has (the server takes up to 100). */
export const WAVEFORM_BARS = 100;

/**
 * Peak levels of `samples` in `bars` equal slices, scaled so the loudest bar is 255: a quiet
 * recording still shows its shape. Silence stays flat (all zeros).
 */
export function bucketPeaks(samples: ArrayLike<number>, bars = WAVEFORM_BARS): number[] {
  const n = samples.length;
  if (n === 0) return new Array(bars).fill(0);
  const peaks: number[] = [];
  for (let b = 0; b < bars; b++) {
    const from = Math.floor((b * n) / bars);
    const to = Math.max(from + 1, Math.floor(((b + 1) * n) / bars));
    let peak = 0;
    for (let i = from; i < to && i < n; i++) {
      const v = Math.abs(samples[i]);
      if (v > peak) peak = v;
    }
    peaks.push(peak);
  }
  const loudest = Math.max(...peaks);
  return peaks.map((p) => (loudest > 0 ? Math.min(255, Math.round((p / loudest) * 255)) : 0));
}

/** The waveform of a recording, decoded with Web Audio; null when the browser cannot decode it. */
export async function waveformOf(blob: Blob, bars = WAVEFORM_BARS): Promise<number[] | null> {
  const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctx) return null;
  const ctx = new Ctx();
  try {
    const audio = await ctx.decodeAudioData(await blob.arrayBuffer());
    return bucketPeaks(audio.getChannelData(0), bars);
  } catch {
    return null;
  } finally {
    void ctx.close();
  }
}

/** "m:ss" for a position or length in milliseconds. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** The best container the browser records: Opus in WebM or Ogg, else MP4 (AAC), else its default. */
export function recordingType(isSupported: (type: string) => boolean): string | undefined {
  return ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4;codecs=mp4a.40.2', 'audio/mp4'].find((t) => isSupported(t));
}

/** A file name the server will not need (it checks the bytes), but people downloading it will. */
export function fileNameFor(mimeType: string): string {
  const ext = mimeType.includes('ogg') ? 'ogg' : mimeType.includes('mp4') ? 'm4a' : 'webm';
  return `voice-message.${ext}`;
}
