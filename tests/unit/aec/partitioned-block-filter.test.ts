/** The partitioned-block Kalman filter on its own: overlap-save, identification, tap shifts. */
import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { PartitionedBlockFilter, ReferenceSpectra } from '../../../pipeline/dsp/aec/partitioned-block-filter.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const N = 64;
const P = 4;

function whiteNoise(length: number, seed: number, gain = 0.1): Float64Array {
  const gaussian = gaussianSource(seededRandom(seed));
  return Float64Array.from({ length }, () => gain * gaussian());
}

function firFilter(signal: Float64Array, taps: ArrayLike<number>): Float64Array {
  const out = new Float64Array(signal.length);
  for (let n = 0; n < signal.length; n++) {
    let sum = 0;
    for (let j = 0; j < taps.length && j <= n; j++) sum += (taps[j] as number) * (signal[n - j] as number);
    out[n] = sum;
  }
  return out;
}

function misalignmentDb(truth: ArrayLike<number>, estimate: ArrayLike<number>): number {
  let error = 0;
  let energy = 0;
  for (let i = 0; i < estimate.length; i++) {
    const t = i < truth.length ? (truth[i] as number) : 0;
    error += (t - (estimate[i] as number)) ** 2;
    energy += t * t;
  }
  return 10 * Math.log10(error / energy);
}

/**
 * Runs `filter` over `reference` → `mic` block by block (adapting after `skipBlocks`);
 * returns the error signal.
 */
function identify(
  filter: PartitionedBlockFilter,
  reference: Float64Array,
  mic: Float64Array,
  noisePower = 0,
  skipBlocks = 0,
) {
  const spectra = new ReferenceSpectra({ blockSamples: N, partitionCount: P });
  const fft = new FFT(2 * N);
  const echo = new Float64Array(N);
  const padded = new Float64Array(2 * N);
  const errorSpectrum = new Float64Array(4 * N);
  const observationNoise = new Float64Array(N + 1).fill(noisePower);
  const error = new Float64Array(mic.length);
  for (let start = 0; start + N <= reference.length; start += N) {
    spectra.push(reference.subarray(start, start + N));
    filter.estimate(spectra, echo);
    for (let i = 0; i < N; i++) {
      const e = (mic[start + i] as number) - (echo[i] as number);
      padded[N + i] = e;
      error[start + i] = e;
    }
    fft.realTransform(errorSpectrum, padded);
    if (start < skipBlocks * N) continue;
    filter.adapt(spectra, errorSpectrum.subarray(0, 2 * (N + 1)), {
      observationNoise,
      processNoise: 0,
      stepScale: 0.5,
    });
  }
  return { error, spectra };
}

describe('PartitionedBlockFilter', () => {
  it('computes the same echo as a time-domain FIR with the same taps (overlap-save)', () => {
    const taps = whiteNoise(P * N - 10, 3, 0.3);
    const filter = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P });
    filter.setImpulseResponse(taps);
    const reference = whiteNoise(20 * N, 4);
    const expected = firFilter(reference, taps);
    const spectra = new ReferenceSpectra({ blockSamples: N, partitionCount: P });
    const echo = new Float64Array(N);
    for (let start = 0; start < reference.length; start += N) {
      spectra.push(reference.subarray(start, start + N));
      filter.estimate(spectra, echo);
      for (let i = 0; i < N; i++) expect(echo[i]).toBeCloseTo(expected[start + i] as number, 9);
    }
  });

  it('identifies a short FIR exactly from white noise', () => {
    const truth = Float64Array.from({ length: 150 }, (_, i) => Math.exp(-i / 30) * Math.cos(i));
    const reference = whiteNoise(400 * N, 7);
    const filter = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P });
    const { error } = identify(filter, reference, firFilter(reference, truth));
    const taps = new Float64Array(P * N);
    filter.impulseResponse(taps);
    expect(misalignmentDb(truth, taps)).toBeLessThan(-80);
    // The error of the last blocks is numerically zero next to the echo (ERLE > 80 dB).
    const tail = error.subarray(error.length - 10 * N);
    const echoTail = firFilter(reference, truth).subarray(error.length - 10 * N);
    const erleDb = 10 * Math.log10(echoTail.reduce((s, v) => s + v * v, 0) / tail.reduce((s, v) => s + v * v, 0));
    expect(erleDb).toBeGreaterThan(80);
  });

  it('keeps its prior variance in bins the reference never excites, and shrinks it where it does', () => {
    // Cosines centred on FFT bins 1..20 only: bins above 20 see no reference at all.
    const random = seededRandom(9);
    const phases = Array.from({ length: 21 }, () => 2 * Math.PI * random());
    const reference = Float64Array.from({ length: 100 * N }, (_, n) => {
      let sum = 0;
      for (let k = 1; k <= 20; k++) sum += 0.02 * Math.cos((2 * Math.PI * k * n) / (2 * N) + (phases[k] as number));
      return sum;
    });
    const filter = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P, priorDecayDbPerPartition: 0 });
    // Skip the blocks whose windows still hold the onset (an onset excites every bin).
    identify(filter, reference, firFilter(reference, [0.5, 0.2]), 1e-6, P + 1);
    for (let p = 0; p < P; p++) {
      expect(filter.variance[p * (N + 1) + 10] as number).toBeLessThan(1e-3);
      expect(filter.variance[p * (N + 1) + 40] as number).toBeGreaterThan(0.99);
    }
  });

  it('shifts its taps without losing them', () => {
    const taps = whiteNoise(P * N, 5);
    const filter = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P });
    filter.setImpulseResponse(taps);
    filter.shiftTaps(37);
    const shifted = new Float64Array(P * N);
    filter.impulseResponse(shifted);
    for (let j = 0; j < P * N - 37; j++) expect(shifted[j]).toBeCloseTo(taps[j + 37] as number, 9);
    for (let j = P * N - 37; j < P * N; j++) expect(shifted[j]).toBeCloseTo(0, 9);
    filter.shiftTaps(-37);
    filter.impulseResponse(shifted);
    for (let j = 37; j < P * N; j++) expect(shifted[j]).toBeCloseTo(taps[j] as number, 9);
  });

  it('copies coefficients and variances, and resets to zero taps and the prior', () => {
    const a = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P });
    const b = new PartitionedBlockFilter({ blockSamples: N, partitionCount: P });
    a.setImpulseResponse([1, 0.5]);
    a.variance.fill(0.25);
    b.copyFrom(a);
    expect(Array.from(b.coefficients)).toEqual(Array.from(a.coefficients));
    expect(Array.from(b.variance)).toEqual(Array.from(a.variance));
    b.reset();
    expect(b.coefficients.every((value) => value === 0)).toBe(true);
    expect(b.variance[0]).toBe(1);
    expect(b.variance[(P - 1) * (N + 1)]).toBeCloseTo(10 ** (-0.3 * (P - 1)), 12);
    expect(b.isFinite()).toBe(true);
  });

  it('rejects bad shapes and mismatched reference spectra', () => {
    expect(() => new PartitionedBlockFilter({ blockSamples: 100, partitionCount: 4 })).toThrow(/power of two/);
    expect(() => new PartitionedBlockFilter({ blockSamples: 64, partitionCount: 0 })).toThrow(/partitionCount/);
    const filter = new PartitionedBlockFilter({ blockSamples: 64, partitionCount: 4 });
    const other = new ReferenceSpectra({ blockSamples: 64, partitionCount: 2 });
    expect(() => filter.estimate(other, new Float64Array(64))).toThrow(RangeError);
    const spectra = new ReferenceSpectra({ blockSamples: 64, partitionCount: 4 });
    expect(() => spectra.push(new Float64Array(60))).toThrow(/expected 64 samples, got 60/);
  });
});
