/** The speaker's look-ahead peak limiter: never above the ceiling, transparent below it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LookaheadLimiter } from '../../../pipeline/stages/speaker/lookahead-limiter.js';
import { sine } from './test-signals.js';

const peakOf = (samples: Float32Array) => samples.reduce((peak, v) => Math.max(peak, Math.abs(v)), 0);

function limitInChunks(limiter: LookaheadLimiter, input: Float32Array, chunkSamples: number): Float32Array {
  const out = new Float32Array(input.length);
  for (let start = 0; start < input.length; start += chunkSamples) {
    const end = Math.min(input.length, start + chunkSamples);
    limiter.process(input.subarray(start, end), out.subarray(start, end));
  }
  return out;
}

describe('LookaheadLimiter', () => {
  it('never lets a sample above the ceiling, for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -8, max: 8, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: -12, max: 0 }),
        fc.integer({ min: 1, max: 320 }),
        (values, ceilingDbfs, chunkSamples) => {
          const limiter = new LookaheadLimiter({ ceilingDbfs });
          const out = limitInChunks(limiter, Float32Array.from(values), chunkSamples);
          expect(peakOf(out)).toBeLessThanOrEqual(10 ** (ceilingDbfs / 20));
          expect(limiter.safetyClampCount).toBe(0);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('holds full-scale squares and clipped sums at the ceiling without overshoot, reducing by about their excess', () => {
    const limiter = new LookaheadLimiter({ ceilingDbfs: -1 });
    const square = Float32Array.from(sine(16_000, 440, 1), (v) => (v >= 0 ? 1 : -1) * 1.9);
    const out = limitInChunks(limiter, square, 160);
    const ceiling = 10 ** (-1 / 20);
    expect(peakOf(out)).toBeLessThanOrEqual(ceiling);
    expect(limiter.safetyClampCount).toBe(0);
    // After the first edge the square sits at the ceiling, not below it (no needless pumping).
    expect(peakOf(out.subarray(8000))).toBeGreaterThan(ceiling * 0.99);
    const reductionDb = limiter.process(square.subarray(0, 160), new Float32Array(160));
    expect(reductionDb).toBeCloseTo(20 * Math.log10(1.9 / ceiling), 1);
  });

  it('passes a signal under the ceiling unchanged, delayed by its reported latency (3 ms)', () => {
    const limiter = new LookaheadLimiter({ ceilingDbfs: -1, lookAheadMs: 3 });
    expect(limiter.latencySamples).toBe(48);
    expect(limiter.latencyMs).toBe(3);
    const input = sine(4000, 997, 0.8);
    const out = limitInChunks(limiter, input, 160);
    for (let i = 48; i < input.length; i++) expect(out[i]).toBe(input[i - 48]);
    expect(limiter.gain).toBe(1);
  });

  it('ramps the gain down before a sudden peak arrives, not after', () => {
    const limiter = new LookaheadLimiter({ ceilingDbfs: -6, lookAheadMs: 2 });
    const input = new Float32Array(400).fill(0.1);
    input.fill(2, 200, 210);
    const out = limitInChunks(limiter, input, 80);
    const L = limiter.latencySamples;
    const gains = Array.from(out, (v, i) => (i >= L ? v / (input[i - L] as number) : 1));
    // The burst leaves at 200 + L; the gain has already started falling L samples earlier.
    expect(gains[200 + L - 1]).toBeLessThan(0.6);
    expect(gains[200 + L]).toBeLessThanOrEqual(10 ** (-6 / 20) / 2 + 1e-7);
    expect(gains[199]).toBe(1);
  });

  it('turns NaN and infinite samples into silence and counts them', () => {
    const limiter = new LookaheadLimiter({ lookAheadMs: 1 });
    const input = Float32Array.of(0.5, Number.NaN, Number.POSITIVE_INFINITY, 0.5, ...new Array(20).fill(0));
    const out = limitInChunks(limiter, input, 24);
    expect(out.every((v) => Number.isFinite(v) && Math.abs(v) <= 10 ** (-1 / 20))).toBe(true);
    expect(limiter.nonFiniteCount).toBe(2);
  });

  it('names a bad option and its range', () => {
    expect(() => new LookaheadLimiter({ lookAheadMs: 6 })).toThrow(
      /LookaheadLimiter: lookAheadMs: must be more than 0 and at most 5 ms, got 6/,
    );
    expect(() => new LookaheadLimiter({ ceilingDbfs: 1 })).toThrow(
      /ceilingDbfs: must be between -30 and 0 dBFS, got 1/,
    );
    expect(() => new LookaheadLimiter().process(new Float32Array(4), new Float32Array(3))).toThrow(/3 samples for 4/);
  });
});
