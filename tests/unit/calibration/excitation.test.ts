/** Test signals: the MLS has its defining autocorrelation, the sweep spans its band, the noise is pink. */
import { describe, expect, it } from 'vitest';
import { bandLevelsDbfs, OctaveBandAnalyser } from '../../../calibration/band-analysis.js';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { exponentialSweep, maximumLengthSequence, octaveShapedNoise } from '../../../calibration/excitation.js';
import { signalStats } from '../../../calibration/level-measurement.js';

function circularAutocorrelation(sequence: Int8Array, lag: number): number {
  let sum = 0;
  for (let i = 0; i < sequence.length; i++) {
    sum += (sequence[i] as number) * (sequence[(i + lag) % sequence.length] as number);
  }
  return sum;
}

/** Zero-crossing rate over a window, as a frequency. */
function crossingFrequencyHz(samples: Float32Array, start: number, length: number, rate: number): number {
  let crossings = 0;
  for (let i = start + 1; i < start + length; i++) {
    if (Math.sign(samples[i] as number) !== Math.sign(samples[i - 1] as number)) crossings += 1;
  }
  return (crossings / 2) * (rate / length);
}

describe('maximum-length sequences', () => {
  it.each([10, 12, 14])(
    'order %i has period 2^n − 1 and the MLS autocorrelation (N at lag 0, −1 elsewhere)',
    (order) => {
      const sequence = maximumLengthSequence(order);
      const length = 2 ** order - 1;
      expect(sequence.length).toBe(length);
      expect(sequence.reduce((sum, value) => sum + value, 0)).toBe(1);
      expect(circularAutocorrelation(sequence, 0)).toBe(length);
      for (const lag of [1, 2, 3, 17, 100, length >> 1, length - 1]) {
        expect(circularAutocorrelation(sequence, lag)).toBe(-1);
      }
    },
  );

  it('refuses an order it has no taps for', () => {
    expect(() => maximumLengthSequence(7)).toThrow(/MLS order must be one of 10, 11/);
  });
});

describe('exponential sine sweep (Farina)', () => {
  const rate = 16_000;
  const sweep = exponentialSweep({
    startHz: 100,
    endHz: 6_400,
    durationSeconds: 2,
    amplitude: 0.5,
    fadeMs: 10,
    sampleRateHz: rate,
  }).samples;

  it('has the asked length and peak, and fades in and out from silence', () => {
    expect(sweep.length).toBe(32_000);
    expect(signalStats(sweep).peakDbfs).toBeCloseTo(20 * Math.log10(0.5), 1);
    expect(Math.abs(sweep[0] as number)).toBeLessThan(1e-3);
    expect(Math.abs(sweep[sweep.length - 1] as number)).toBeLessThan(1e-3);
  });

  it('rises exponentially: an octave every T / log2(f2/f1) seconds', () => {
    // 6 octaves in 2 s: one octave every 1/3 s. Instantaneous frequency at t = f1·2^(3t).
    const window = 800;
    for (const t of [0.25, 1, 1.75]) {
      const expectedHz = 100 * 2 ** (3 * t);
      const measured = crossingFrequencyHz(sweep, Math.round(t * rate) - window / 2, window, rate);
      expect(measured / expectedHz).toBeGreaterThan(0.93);
      expect(measured / expectedHz).toBeLessThan(1.07);
    }
  });

  it('refuses a band past Nyquist', () => {
    expect(() =>
      exponentialSweep({ startHz: 50, endHz: 9_000, durationSeconds: 1, amplitude: 1, fadeMs: 0, sampleRateHz: rate }),
    ).toThrow(/Nyquist/);
  });
});

describe('octave-shaped (pink) noise', () => {
  it('has its RMS and the same power in every mask band (within 1 dB)', () => {
    const noise = octaveShapedNoise({
      durationSeconds: 4,
      rmsDbfs: -20,
      lowHz: 150,
      highHz: 6_000,
      fadeMs: 20,
      sampleRateHz: 16_000,
      seed: 5,
    });
    expect(signalStats(noise).rmsDbfs).toBeCloseTo(-20, 5);
    const levels = bandLevelsDbfs(new OctaveBandAnalyser(MASK_BANDS_HZ, 16_000), noise);
    const spread = Math.max(...levels) - Math.min(...levels);
    expect(spread).toBeLessThan(1);
    // Five bands share the power: each about 10·log10(1/5) = 7 dB under the total.
    for (const level of levels) expect(level).toBeCloseTo(-27, 0);
  });

  it('is the same signal for the same seed, and another for another', () => {
    const options = { durationSeconds: 0.5, rmsDbfs: -20, lowHz: 150, highHz: 6_000, fadeMs: 20, sampleRateHz: 16_000 };
    const a = octaveShapedNoise({ ...options, seed: 1 });
    expect(octaveShapedNoise({ ...options, seed: 1 })).toEqual(a);
    expect(octaveShapedNoise({ ...options, seed: 2 })).not.toEqual(a);
  });
});
