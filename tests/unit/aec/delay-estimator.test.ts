/** GCC-PHAT bulk delay: known delays of white noise and speech-like signals, silence, a jump. */
import { describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { syntheticSpeech } from '../../../bench/acoustics/synthetic-speech.js';
import { DelayEstimator } from '../../../pipeline/dsp/aec/delay-estimator.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

function noise(length: number, seed: number, gain: number): Float32Array {
  const gaussian = gaussianSource(seededRandom(seed));
  return Float32Array.from({ length }, () => gain * gaussian());
}

function delayed(signal: Float32Array, delaySamples: number, gain = 0.5): Float32Array {
  const out = new Float32Array(signal.length);
  for (let i = delaySamples; i < signal.length; i++) out[i] = gain * (signal[i - delaySamples] as number);
  return out;
}

/** Feeds both signals in 160-sample frames; returns the estimate after each frame. */
function run(estimator: DelayEstimator, reference: Float32Array, mic: Float32Array): Array<number | undefined> {
  const estimates: Array<number | undefined> = [];
  for (let start = 0; start + 160 <= reference.length; start += 160) {
    estimator.push(reference.subarray(start, start + 160), mic.subarray(start, start + 160));
    estimates.push(estimator.delaySamples);
  }
  return estimates;
}

describe('DelayEstimator', () => {
  it('finds an integer delay of white noise under mic noise within half a second', () => {
    const reference = noise(16_000 * 2, 1, 0.1);
    const mic = delayed(reference, 1234);
    const micNoise = noise(mic.length, 2, 0.01);
    for (let i = 0; i < mic.length; i++) mic[i] = (mic[i] as number) + (micNoise[i] as number);
    const estimates = run(new DelayEstimator({ maxDelaySamples: 4800 }), reference, mic);
    expect(estimates.at(-1)).toBe(1234);
    const firstRight = estimates.indexOf(1234);
    expect(firstRight).toBeGreaterThanOrEqual(0);
    expect(firstRight * 160).toBeLessThan(8000);
    // Once right, it stays right.
    expect(estimates.slice(firstRight).every((value) => value === 1234)).toBe(true);
  });

  it('puts the direct sound of every simulated echo path within 1 ms, for speech-like input', () => {
    const reference = syntheticSpeech({ seconds: 3, seed: 4, pitchHz: 120 }).map((value) => value * 0.3);
    for (const [name, spec] of Object.entries(ECHO_PATHS)) {
      const mic = convolve(reference, generateEchoPath(spec));
      const micNoise = noise(mic.length, 3, 3e-4);
      for (let i = 0; i < mic.length; i++) mic[i] = (mic[i] as number) + (micNoise[i] as number);
      const estimate = run(new DelayEstimator({ maxDelaySamples: 4800 }), reference, mic).at(-1);
      expect(estimate, name).toBeDefined();
      expect(Math.abs((estimate as number) / 16 - spec.delayMs), name).toBeLessThanOrEqual(1);
    }
  });

  it('gives no estimate while the reference is silent, nor for a mic unrelated to it', () => {
    const silent = new Float32Array(16_000);
    expect(run(new DelayEstimator({ maxDelaySamples: 4800 }), silent, noise(16_000, 5, 0.1)).at(-1)).toBeUndefined();
    const unrelated = run(new DelayEstimator({ maxDelaySamples: 4800 }), noise(32_000, 6, 0.1), noise(32_000, 7, 0.1));
    expect(unrelated.at(-1)).toBeUndefined();
  });

  it('follows a delay that jumps', () => {
    const reference = noise(16_000 * 4, 8, 0.1);
    const before = delayed(reference, 500);
    const after = delayed(reference, 900);
    const mic = Float32Array.from(reference, (_, i) => (i < 32_000 ? (before[i] as number) : (after[i] as number)));
    const estimates = run(new DelayEstimator({ maxDelaySamples: 4800 }), reference, mic);
    expect(estimates[Math.floor(32_000 / 160) - 1]).toBe(500);
    const switched = estimates.findIndex((value, frame) => frame * 160 >= 32_000 && value === 900);
    expect(switched).toBeGreaterThan(0);
    expect(switched * 160 - 32_000).toBeLessThan(16_000);
    expect(estimates.at(-1)).toBe(900);
  });

  it('rejects mismatched pushes and bad options', () => {
    const estimator = new DelayEstimator({ maxDelaySamples: 100 });
    expect(() => estimator.push(new Float32Array(10), new Float32Array(9))).toThrow(/reference has 10 samples, mic 9/);
    expect(() => new DelayEstimator({ maxDelaySamples: -1 })).toThrow(RangeError);
    expect(() => new DelayEstimator({ maxDelaySamples: 100, hopSamples: 0 })).toThrow(RangeError);
  });

  it('starts over on reset', () => {
    const reference = noise(16_000, 9, 0.1);
    const estimator = new DelayEstimator({ maxDelaySamples: 4800 });
    expect(run(estimator, reference, delayed(reference, 300)).at(-1)).toBe(300);
    estimator.reset();
    expect(estimator.delaySamples).toBeUndefined();
  });
});
