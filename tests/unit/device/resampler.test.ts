import { describe, expect, it } from 'vitest';
import { StreamResampler } from '../../../pipeline/dsp/resampler.js';
import { rms, zeroCrossingFrequency } from '../../doubles/wav-bytes.js';

function tone(frequencyHz: number, rate: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = 0.5 * Math.sin((2 * Math.PI * frequencyHz * i) / rate);
  return out;
}

async function resampleInChunks(input: Float32Array, from: number, to: number, chunk: number): Promise<Float32Array> {
  const resampler = await StreamResampler.create(from, to, chunk);
  const parts: number[] = [];
  for (let offset = 0; offset < input.length; offset += chunk) {
    parts.push(...resampler.process(input.subarray(offset, Math.min(input.length, offset + chunk))));
  }
  resampler.destroy();
  return Float32Array.from(parts);
}

describe('StreamResampler (libsamplerate)', () => {
  it('48 kHz → 16 kHz keeps a 1 kHz tone’s frequency, level and length', async () => {
    const input = tone(1000, 48_000, 48_000);
    const out = await resampleInChunks(input, 48_000, 16_000, 480);
    expect(out.length).toBeGreaterThan(15_800);
    expect(out.length).toBeLessThanOrEqual(16_000);
    const steady = out.subarray(1000, 15_000);
    expect(zeroCrossingFrequency(steady, 16_000)).toBeCloseTo(1000, -1);
    expect(rms(steady)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('removes content above the new Nyquist instead of aliasing it', async () => {
    // 11 kHz is above 8 kHz: a linear interpolator would fold it to 5 kHz at full level.
    const out = await resampleInChunks(tone(11_000, 48_000, 48_000), 48_000, 16_000, 480);
    expect(rms(out.subarray(1000, 15_000))).toBeLessThan(0.01);
  });

  it('16 kHz → 44.1 kHz in 20 ms chunks is continuous across chunk edges', async () => {
    const out = await resampleInChunks(tone(440, 16_000, 16_000), 16_000, 44_100, 320);
    const steady = out.subarray(2000, 42_000);
    expect(zeroCrossingFrequency(steady, 44_100)).toBeCloseTo(440, -1);
    // No clicks at chunk edges: the largest sample-to-sample step stays near the tone's own.
    let maxStep = 0;
    for (let i = 1; i < steady.length; i++)
      maxStep = Math.max(maxStep, Math.abs((steady[i] as number) - (steady[i - 1] as number)));
    expect(maxStep).toBeLessThan(0.5 * 2 * Math.PI * (440 / 44_100) * 1.1);
  });

  it('passes audio through untouched at equal rates, and refuses bad rates and oversize chunks', async () => {
    const same = await StreamResampler.create(16_000, 16_000, 320);
    const input = tone(300, 16_000, 320);
    expect(same.process(input)).toBe(input);
    await expect(StreamResampler.create(0, 16_000, 320)).rejects.toThrow(/input rate must be an integer between/);
    const small = await StreamResampler.create(48_000, 16_000, 100);
    expect(() => small.process(new Float32Array(101))).toThrow(/exceeds maxInputFrames 100/);
    small.destroy();
  });
});
