import { describe, expect, it } from 'vitest';
import { bucketPeaks, clock, fileNameFor, recordingType } from './waveform';

describe('bucketPeaks', () => {
  it('makes the asked number of bars, the loudest at 255', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => (i < 500 ? 0.1 : -0.4));
    const bars = bucketPeaks(samples, 100);
    expect(bars).toHaveLength(100);
    expect(bars[0]).toBe(64);
    expect(bars[99]).toBe(255);
    expect(bars.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)).toBe(true);
  });

  it('keeps silence flat and copes with fewer samples than bars', () => {
    expect(bucketPeaks(new Float32Array(50), 100)).toEqual(new Array(100).fill(0));
    expect(bucketPeaks([], 10)).toEqual(new Array(10).fill(0));
    expect(bucketPeaks([0.5, 1], 4)).toEqual([128, 128, 255, 255]);
  });
});

describe('recording helpers', () => {
  it('prefers Opus in WebM, then Ogg, then MP4', () => {
    expect(recordingType(() => true)).toBe('audio/webm;codecs=opus');
    expect(recordingType((t) => t.startsWith('audio/ogg'))).toBe('audio/ogg;codecs=opus');
    expect(recordingType((t) => t === 'audio/mp4')).toBe('audio/mp4');
    expect(recordingType(() => false)).toBeUndefined();
  });

  it('names files after their container and formats lengths', () => {
    expect(fileNameFor('audio/ogg;codecs=opus')).toBe('voice-message.ogg');
    expect(fileNameFor('audio/mp4')).toBe('voice-message.m4a');
    expect(fileNameFor('audio/webm')).toBe('voice-message.webm');
    expect(clock(0)).toBe('0:00');
    expect(clock(65_400)).toBe('1:05');
    expect(clock(300_000)).toBe('5:00');
  });
});
