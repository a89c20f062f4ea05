/** Valin's echo leakage: residual echo that follows the echo estimate vs independent near-end. */
import { describe, expect, it } from 'vitest';
import { LeakageEstimator } from '../../../pipeline/dsp/aec/leakage-estimator.js';
import { NoiseFloorTracker } from '../../../pipeline/dsp/aec/noise-floor-tracker.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const BINS = 65;
const gaussian = gaussianSource(seededRandom(5));

/** Power spectra of a signal whose level swings at random from block to block, as speech does. */
function speechLikePowers(blocks: number, seed: number): Float64Array[] {
  const uniform = seededRandom(seed);
  let envelope = 1;
  return Array.from({ length: blocks }, () => {
    envelope = 0.7 * envelope + 0.3 * 4 * uniform() ** 2;
    return Float64Array.from({ length: BINS }, () => envelope * (gaussian() ** 2 + gaussian() ** 2));
  });
}

/** The median leakage over the last 1200 of 1500 blocks (10 s of 8 ms blocks). */
function estimate(errorOf: (echo: Float64Array, block: number) => Float64Array): number {
  const estimator = new LeakageEstimator({ binCount: BINS, blockSeconds: 0.008 });
  const trace: number[] = [];
  speechLikePowers(1500, 1).forEach((echo, block) => {
    estimator.update(errorOf(echo, block), echo);
    if (block >= 300) trace.push(estimator.leakage);
  });
  return trace.sort((a, b) => a - b)[trace.length >> 1] as number;
}

describe('LeakageEstimator', () => {
  it('measures a residual that rises and falls with the echo estimate', () => {
    for (const share of [0.02, 0.1, 0.5]) {
      const leakage = estimate((echo) => echo.map((power) => share * power));
      expect(leakage).toBeGreaterThan(share * 0.8);
      expect(leakage).toBeLessThan(share * 1.25);
    }
  });

  it('stays low for near-end speech that fluctuates on its own, even 6 dB over the echo', () => {
    for (const [seed, level] of [
      [2, 1],
      [3, 4],
    ] as const) {
      const nearEnd = speechLikePowers(1500, seed);
      const leakage = estimate((echo, block) =>
        (nearEnd[block] as Float64Array).map((power, k) => level * power + 0.01 * (echo[k] as number)),
      );
      // Far under the 0.1 at which the detector takes the excess for a path change.
      expect(leakage).toBeLessThan(0.05);
    }
  });

  it('rejects spectra of the wrong size', () => {
    const estimator = new LeakageEstimator({ binCount: BINS, blockSeconds: 0.008 });
    expect(() => estimator.update(new Float64Array(3), new Float64Array(BINS))).toThrow(
      /expected 65 bins, got 3 and 65/,
    );
  });
});

describe('NoiseFloorTracker', () => {
  it('follows a drop at once and a rise no faster than its limit', () => {
    const tracker = new NoiseFloorTracker({ binCount: 1, blockSeconds: 0.01, riseDbPerSecond: 2, biasCompensation: 1 });
    tracker.update(Float64Array.of(1));
    tracker.update(Float64Array.of(0.01));
    expect(tracker.floor[0]).toBeCloseTo(0.01, 12);
    for (let i = 0; i < 100; i++) tracker.update(Float64Array.of(1)); // one second of something louder
    expect(10 * Math.log10((tracker.floor[0] as number) / 0.01)).toBeCloseTo(2, 6);
  });

  it('restarts from the data after digital silence', () => {
    const tracker = new NoiseFloorTracker({ binCount: 1, blockSeconds: 0.01, biasCompensation: 1 });
    tracker.update(Float64Array.of(0));
    tracker.update(Float64Array.of(1e-6));
    expect(tracker.floor[0]).toBeCloseTo(1e-6, 15);
  });
});
