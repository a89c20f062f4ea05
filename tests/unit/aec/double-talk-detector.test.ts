/** The double-talk detector on synthetic spectra: echo alone, near-end bursts, path changes. */
import { describe, expect, it } from 'vitest';
import { DoubleTalkDetector } from '../../../pipeline/dsp/aec/double-talk-detector.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const BINS = 129;
const BLOCK_SECONDS = 0.008;
const gaussian = gaussianSource(seededRandom(21));

/** A random spectrum with a speech-like tilt (louder low bins), scaled by `gain`. */
function spectrum(gain: number): Float32Array {
  const out = new Float32Array(2 * BINS);
  for (let k = 0; k < BINS; k++) {
    const tilt = gain / (1 + k / 16);
    out[2 * k] = tilt * gaussian();
    out[2 * k + 1] = tilt * gaussian();
  }
  return out;
}

function plus(a: Float32Array, b: Float32Array, bScale = 1): Float32Array {
  return a.map((value, i) => value + bScale * (b[i] as number));
}

interface Block {
  echo: Float32Array;
  error: Float32Array;
}

/** Echo alone through a converged filter: the error is a residual 35 dB down plus noise. */
function echoOnly(): Block {
  const echo = spectrum(1);
  return { echo, error: plus(spectrum(0.018), spectrum(0.003)) };
}

function withNearEnd(): Block {
  const block = echoOnly();
  return { echo: block.echo, error: plus(block.error, spectrum(0.8)) };
}

function feed(detector: DoubleTalkDetector, blocks: number, make: () => Block, leakage = 0.005, converged = true) {
  const flags: boolean[] = [];
  for (let i = 0; i < blocks; i++) {
    const { echo, error } = make();
    flags.push(detector.update(error, echo, true, converged, leakage));
  }
  return flags;
}

const share = (flags: boolean[]) => flags.filter(Boolean).length / flags.length;

describe('DoubleTalkDetector', () => {
  it('stays quiet on echo alone and flags near-end bursts within a few blocks', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS });
    expect(share(feed(detector, 200, echoOnly))).toBe(0);
    const burst = feed(detector, 50, withNearEnd);
    expect(burst.indexOf(true)).toBeLessThanOrEqual(3);
    expect(share(burst.slice(3))).toBe(1);
    expect(detector.excess).toBeGreaterThan(10 ** (-18 / 10));
    expect(detector.coherence).toBeLessThan(0.95);
  });

  it('holds the flag for its hangover after the burst, then clears', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS, hangoverSeconds: 0.04 });
    feed(detector, 100, echoOnly);
    feed(detector, 30, withNearEnd);
    const after = feed(detector, 40, echoOnly);
    const cleared = after.indexOf(false);
    // 0.04 s = 5 blocks of hangover, plus a few for the 30 ms averages to forget the burst.
    expect(cleared).toBeGreaterThanOrEqual(5);
    expect(cleared).toBeLessThan(20);
    expect(after.slice(cleared).every((flag) => !flag)).toBe(true);
  });

  it('does not call a louder but coherent echo (a path gain change) double talk', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS });
    feed(detector, 100, echoOnly);
    const louder = feed(detector, 50, () => {
      const echo = spectrum(1);
      return { echo, error: plus(spectrum(0.003), echo, 0.8) }; // the mic now holds 1.8× the estimate
    });
    // While the 30 ms averages still mix old and new blocks the two differ; after that, and
    // the hangover, a coherent excess is never double talk.
    expect(share(louder.slice(20))).toBe(0);
    expect(detector.coherence).toBeGreaterThan(0.95);
    expect(detector.excess).toBeGreaterThan(10 ** (-18 / 10));
  });

  it('does not call an incoherent excess double talk when the echo leakage says the path changed', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS });
    feed(detector, 100, echoOnly);
    expect(share(feed(detector, 50, withNearEnd, 0.5))).toBe(0);
  });

  it('says nothing before the filter has converged or while the far end is silent', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS });
    feed(detector, 100, echoOnly, 0.005, false);
    expect(share(feed(detector, 50, withNearEnd, 0.005, false))).toBe(0);
    const { echo, error } = withNearEnd();
    expect(detector.update(error, echo, false, true, 0.005)).toBe(false);
  });

  it('rejects spectra of the wrong size', () => {
    const detector = new DoubleTalkDetector({ binCount: BINS, blockSeconds: BLOCK_SECONDS });
    expect(() => detector.update(new Float32Array(10), new Float32Array(2 * BINS), true, true, 0)).toThrow(
      /expected spectra of 258 values, got 10 and 258/,
    );
  });
});
