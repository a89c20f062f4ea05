import { describe, expect, it } from 'vitest';
import { SpeechFramer } from '../../../pipeline/stages/tts/speech-framer.js';

function tone(seconds: number, rateHz: number, freqHz: number): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * rateHz) },
    (_, i) => 0.5 * Math.sin((2 * Math.PI * freqHz * i) / rateHz),
  );
}

describe('SpeechFramer', () => {
  it('resamples 22.05 kHz speech to 16 kHz frames, adds the pause, keeps the pitch', async () => {
    const framer = await SpeechFramer.create(22_050, 320);
    const frames = [
      ...framer.push({
        clauseIndex: 0,
        clause: 'a',
        samples: tone(0.5, 22_050, 440),
        sampleRateHz: 22_050,
        pauseAfterMs: 250,
        synthesisMs: 1,
      }),
      ...framer.flush(),
    ];
    framer.destroy();
    expect(frames.every((frame) => frame.length === 320)).toBe(true);
    const total = frames.length * 320;
    // 0.5 s of speech + 0.25 s of pause at 16 kHz, padded to whole frames.
    expect(total).toBeGreaterThanOrEqual(12_000 - 320);
    expect(total).toBeLessThanOrEqual(12_000 + 640);
    const samples = Int16Array.from(frames.flatMap((frame) => Array.from(frame)));
    // 440 Hz: 880 zero crossings a second over the speech part.
    let crossings = 0;
    for (let i = 1000; i < 7000; i++) if ((samples[i - 1] as number) < 0 !== (samples[i] as number) < 0) crossings++;
    expect(crossings / (6000 / 16_000)).toBeGreaterThan(860);
    expect(crossings / (6000 / 16_000)).toBeLessThan(900);
    // The pause is silence.
    expect(samples.subarray(8_400, 11_600).every((s) => Math.abs(s) < 50)).toBe(true);
  });

  it('puts the end of each clause before its pause (the resampler delay is drained)', async () => {
    const framer = await SpeechFramer.create(22_050, 320);
    const clause = Float32Array.from({ length: 11_025 }, () => 0.5);
    const frames = [
      ...framer.push({
        clauseIndex: 0,
        clause: 'a',
        samples: clause,
        sampleRateHz: 22_050,
        pauseAfterMs: 250,
        synthesisMs: 1,
      }),
      ...framer.push({
        clauseIndex: 1,
        clause: 'b',
        samples: clause,
        sampleRateHz: 22_050,
        pauseAfterMs: 0,
        synthesisMs: 1,
      }),
      ...framer.flush(),
    ];
    framer.destroy();
    const samples = Int16Array.from(frames.flatMap((frame) => Array.from(frame)));
    // Runs of loud and quiet samples: 0.5 s loud, 0.25 s quiet, 0.5 s loud (±3 ms).
    const runs: number[] = [];
    let loud = Math.abs(samples[0] as number) > 8000;
    let length = 0;
    for (const s of samples) {
      const isLoud = Math.abs(s) > 8000;
      if (isLoud !== loud) {
        runs.push(length);
        loud = isLoud;
        length = 0;
      }
      length++;
    }
    runs.push(length);
    expect(Math.abs((runs[0] ?? 0) - 8000)).toBeLessThan(50);
    expect(Math.abs((runs[1] ?? 0) - 4000)).toBeLessThan(50);
    expect(Math.abs((runs[2] ?? 0) - 8000)).toBeLessThan(50);
  });

  it('refuses a chunk at another rate than it was made for', async () => {
    const framer = await SpeechFramer.create(24_000);
    expect(() =>
      framer.push({
        clauseIndex: 0,
        clause: 'a',
        samples: new Float32Array(10),
        sampleRateHz: 22_050,
        pauseAfterMs: 0,
        synthesisMs: 0,
      }),
    ).toThrow(/chunk at 22050 Hz, framer made for 24000 Hz/);
    framer.destroy();
  });
});
