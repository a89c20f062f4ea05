/**
 * The canceller's contract: frame checks, the latency it reports, sanitising non-finite
 * input, reset, the reused report. White noise through a generated path keeps these fast;
 * speech and the targets are in tests/integration/aec.
 */
import { describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { energyOf } from '../../../bench/acoustics/levels.js';
import { EchoCanceller, rechunkLatencySamples } from '../../../pipeline/dsp/aec/echo-canceller.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

function noise(length: number, seed: number, rms: number): Float32Array {
  const gaussian = gaussianSource(seededRandom(seed));
  return Float32Array.from({ length }, () => rms * gaussian());
}

/** Runs whole frames; returns the output moved back by the latency (output[n] ↔ mic[n]). */
function runFrames(canceller: EchoCanceller, mic: Float32Array, reference: Float32Array): Float32Array {
  const frame = canceller.frameSamples;
  const raw = new Float32Array(mic.length + canceller.latencySamples + frame);
  const micFrame = new Float32Array(frame);
  const referenceFrame = new Float32Array(frame);
  for (let start = 0; start + frame <= raw.length; start += frame) {
    micFrame.fill(0);
    referenceFrame.fill(0);
    micFrame.set(mic.subarray(start, Math.min(mic.length, start + frame)));
    referenceFrame.set(reference.subarray(start, Math.min(reference.length, start + frame)));
    canceller.process(micFrame, referenceFrame, raw.subarray(start, start + frame));
  }
  return raw.slice(canceller.latencySamples, canceller.latencySamples + mic.length);
}

/** White noise at −20 dBFS played through the mask-cavity path, −70 dBFS mic noise. */
function whiteEchoScenario(seconds: number) {
  const reference = noise(16_000 * seconds, 1, 0.1);
  const echo = convolve(reference, generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]));
  const micNoise = noise(reference.length, 2, 10 ** (-70 / 20));
  const mic = echo.map((value, i) => value + (micNoise[i] as number));
  return { reference, mic };
}

const erleDb = (mic: Float32Array, out: Float32Array, from: number, to: number) =>
  10 * Math.log10(energyOf(mic, from, to) / energyOf(out, from, to));

describe('EchoCanceller', () => {
  it('reports the re-chunking wait plus one STFT hop as its latency, and delays the mic by exactly that', () => {
    for (const [frameSamples, withRes, expected] of [
      [160, true, 224],
      [320, true, 192],
      [160, false, 96],
      [320, false, 64],
    ] as const) {
      const canceller = new EchoCanceller({ frameSamples, residualSuppression: withRes });
      expect(canceller.latencySamples).toBe(expected);
      expect(canceller.latencySamples).toBeLessThanOrEqual(320);
      // With a silent reference nothing is cancelled or suppressed: out is mic, delayed.
      const mic = noise(8000, 3, 0.1);
      const out = runFrames(canceller, mic, new Float32Array(mic.length));
      for (let n = 0; n < mic.length; n++) expect(out[n]).toBeCloseTo(mic[n] as number, 5);
    }
    expect(rechunkLatencySamples(160, 128)).toBe(96);
    expect(rechunkLatencySamples(256, 128)).toBe(0);
  });

  it('cancels white-noise echo by more than 30 dB within a second', () => {
    const { reference, mic } = whiteEchoScenario(3);
    const out = runFrames(new EchoCanceller({ frameSamples: 160, residualSuppression: false }), mic, reference);
    expect(erleDb(mic, out, 16_000, 48_000)).toBeGreaterThan(30);
  });

  it('replaces NaN and ±Infinity with zeros: the output stays finite and the filter unharmed', () => {
    const { reference, mic } = whiteEchoScenario(4);
    const clean = runFrames(new EchoCanceller({ frameSamples: 160 }), mic, reference);
    const poisonedMic = mic.slice();
    const poisonedReference = reference.slice();
    for (let i = 32_000; i < 32_160; i += 4) {
      poisonedMic[i] = Number.NaN;
      poisonedReference[i + 1] = Number.POSITIVE_INFINITY;
      poisonedReference[i + 2] = Number.NEGATIVE_INFINITY;
    }
    const canceller = new EchoCanceller({ frameSamples: 160 });
    const out = runFrames(canceller, poisonedMic, poisonedReference);
    expect(canceller.sanitizedSampleCount).toBe(120);
    expect(out.every(Number.isFinite)).toBe(true);
    // The last second is cancelled as well as without the poisoned frame.
    const last = [48_000, 64_000] as const;
    expect(erleDb(mic, out, ...last)).toBeGreaterThan(erleDb(mic, clean, ...last) - 3);
    expect(erleDb(mic, out, ...last)).toBeGreaterThan(30);
  });

  it('starts over on reset: the same input gives the same output as a new canceller', () => {
    const { reference, mic } = whiteEchoScenario(1);
    const fresh = runFrames(new EchoCanceller({ frameSamples: 320 }), mic, reference);
    const reused = new EchoCanceller({ frameSamples: 320 });
    runFrames(reused, noise(8000, 9, 0.2), noise(8000, 10, 0.2));
    reused.reset();
    expect(Array.from(runFrames(reused, mic, reference))).toEqual(Array.from(fresh));
  });

  it('returns one reused report object with the fields the controller reads', () => {
    const canceller = new EchoCanceller({ frameSamples: 160, initialDelayMs: 21.7 });
    const frame = noise(160, 4, 0.1);
    const out = new Float32Array(160);
    const first = canceller.process(frame, frame, out);
    // The filter sees the reference through the bulk delay: nothing of it yet.
    expect(first.farEndActive).toBe(false);
    let second = first;
    for (let i = 0; i < 4; i++) second = canceller.process(frame, frame, out);
    expect(second).toBe(first);
    expect(first.bulkDelaySamples).toBe(Math.round(21.7 * 16));
    expect(first.farEndActive).toBe(true);
    expect(first.micDbfs).toBeCloseTo(10 * Math.log10(energyOf(frame) / 160), 6);
    for (const key of ['outputDbfs', 'echoEstimateDbfs', 'residualEchoDbfs', 'erleDb'] as const) {
      expect(Number.isFinite(first[key])).toBe(true);
    }
  });

  it('rejects frames of the wrong length, saying what it expected and what it got', () => {
    const canceller = new EchoCanceller({ frameSamples: 160 });
    const ok = new Float32Array(160);
    expect(() => canceller.process(new Float32Array(150), ok, ok)).toThrow(
      new RangeError('EchoCanceller: mic frame: expected 160 samples, got 150'),
    );
    expect(() => canceller.process(ok, new Float32Array(320), ok)).toThrow(
      /reference frame: expected 160 samples, got 320/,
    );
    expect(() => canceller.process(ok, ok, new Float32Array(0))).toThrow(/out frame: expected 160 samples, got 0/);
  });

  it('rejects options it cannot honour', () => {
    expect(() => new EchoCanceller({ frameSamples: 0 })).toThrow(/frameSamples must be a positive integer, got 0/);
    expect(() => new EchoCanceller({ frameSamples: 160.5 })).toThrow(RangeError);
    expect(() => new EchoCanceller({ frameSamples: 160, filterLengthMs: -1 })).toThrow(/filterLengthMs/);
    expect(() => new EchoCanceller({ frameSamples: 160, maxDelayMs: 100, initialDelayMs: 150 })).toThrow(
      /initialDelayMs must be in \[0, maxDelayMs = 100\], got 150/,
    );
  });
});
