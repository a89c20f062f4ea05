/** Frame-sequence test of the gain stage: volume, mute, and the click-free ramp. */
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../../pipeline/bus/audio-frame.js';
import { FrameClock } from '../../../pipeline/bus/audio-frame.js';
import { VirtualClock } from '../../../pipeline/bus/clock.js';
import { GainStage } from '../../../pipeline/stages/gain/gain-stage.js';
import type { StageContext } from '../../../pipeline/stages/stage.js';
import { captureLogger } from '../../doubles/test-logger.js';

function run(stage: GainStage, frames: AudioFrame[]): AudioFrame[] {
  const out: AudioFrame[] = [];
  const ctx: StageContext = {
    signal: new AbortController().signal,
    clock: new VirtualClock(),
    logger: captureLogger('silent').logger,
    emit: (frame) => out.push({ ...frame, samples: frame.samples.slice() }),
    emitEvent: () => {},
  };
  stage.start(ctx);
  for (const frame of frames) stage.process(frame);
  return out;
}

const clock = new FrameClock();
const frameOf = (value: number) => clock.stamp(new Int16Array(160).fill(value));

describe('GainStage', () => {
  it('passes frames at 0 dB and keeps their timing', () => {
    const frames = [frameOf(1000), frameOf(-1000)];
    const out = run(new GainStage(), frames);
    expect(out.map((f) => [f.seq, f.ptsSamples, f.samples[0], f.samples[159]])).toEqual([
      [frames[0]?.seq, frames[0]?.ptsSamples, 1000, 1000],
      [frames[1]?.seq, frames[1]?.ptsSamples, -1000, -1000],
    ]);
  });

  it('ramps to a new volume over one frame, then holds it', () => {
    const stage = new GainStage();
    stage.onControl({ type: 'setVolume', volumeDb: -20 });
    const [first, second] = run(stage, [frameOf(10_000), frameOf(10_000)]);
    expect(first?.samples[0]).toBeLessThan(10_000);
    expect(first?.samples[0]).toBeGreaterThan(9_000);
    expect(first?.samples[159]).toBe(1000);
    expect(Array.from(second?.samples ?? []).every((v) => v === 1000)).toBe(true);
  });

  it('mutes to silence and unmutes', () => {
    const stage = new GainStage();
    stage.onControl({ type: 'mute' });
    const muted = run(stage, [frameOf(5000), frameOf(5000)]);
    expect(Array.from(muted[1]?.samples ?? []).every((v) => v === 0)).toBe(true);
    stage.onControl({ type: 'unmute' });
    const restored = run(stage, [frameOf(5000), frameOf(5000)]);
    expect(restored[1]?.samples[0]).toBe(5000);
  });

  it('clips at the int16 range instead of wrapping', () => {
    const stage = new GainStage({ volumeDb: 12 });
    const [out] = run(stage, [frameOf(20_000)]);
    expect(out?.samples[100]).toBe(32767);
  });

  it('refuses an out-of-range volume in its options', () => {
    expect(() => new GainStage({ volumeDb: 30 })).toThrow(/volumeDb/);
  });
});
