/** Frame-sequence test of the denoise stage with the engines that need no download. */
import { describe, expect, it } from 'vitest';
import type { AudioFrame } from '../../../pipeline/bus/audio-frame.js';
import { FrameClock } from '../../../pipeline/bus/audio-frame.js';
import { DenoiseStage } from '../../../pipeline/stages/denoise/denoise-stage.js';
import { recordingStageContext } from '../../doubles/recording-stage-context.js';

async function run(stage: DenoiseStage, frames: AudioFrame[]): Promise<AudioFrame[]> {
  const { ctx, frames: out } = recordingStageContext();
  await stage.start(ctx);
  for (const frame of frames) await stage.process(frame);
  await stage.close();
  return out;
}

function toneFrames(count: number): AudioFrame[] {
  const clock = new FrameClock();
  return Array.from({ length: count }, (_, f) =>
    clock.stamp(
      Int16Array.from({ length: 320 }, (_, i) =>
        Math.round(8000 * Math.sin((2 * Math.PI * 440 * (f * 320 + i)) / 16_000)),
      ),
      'utt-7',
    ),
  );
}

describe('DenoiseStage', () => {
  it('bypass hands every frame on unchanged, with its seq, pts, type and utterance id', async () => {
    const frames = toneFrames(5);
    const out = await run(new DenoiseStage({ engine: 'bypass' }), frames);
    expect(out.map((f) => [f.seq, f.ptsSamples, f.utteranceId, f.samples.constructor.name])).toEqual(
      frames.map((f) => [f.seq, f.ptsSamples, 'utt-7', 'Int16Array']),
    );
    expect(out.map((frame) => Array.from(frame.samples))).toEqual(frames.map((frame) => Array.from(frame.samples)));
  });

  it('rnnoise keeps one frame out per frame in, delayed by its declared latency', async () => {
    const stage = new DenoiseStage({ engine: 'rnnoise' });
    const frames = toneFrames(50);
    const out = await run(stage, frames);
    expect(out).toHaveLength(50);
    expect(stage.engineName).toBe('rnnoise');
    expect(stage.latencySamples).toBeGreaterThan(0);
    // Output starts after the delay (the resampler's sinc filter rings a little ahead of it).
    const flat = out.flatMap((f) => Array.from(f.samples));
    expect(flat.slice(0, stage.latencySamples / 2).every((v) => v === 0)).toBe(true);
    expect(flat.slice(stage.latencySamples + 1_600).some((v) => Math.abs(v) > 100)).toBe(true);
  });

  it('refuses an unknown engine name', () => {
    expect(() => new DenoiseStage({ engine: 'magic' as 'bypass' })).toThrow(/engine/);
  });
});
