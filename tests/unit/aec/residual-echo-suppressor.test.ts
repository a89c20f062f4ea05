/** The residual echo suppressor's gain rule: floor, pass-through, near-end kept, release. */
import { describe, expect, it } from 'vitest';
import { ResidualEchoSuppressor } from '../../../pipeline/dsp/aec/residual-echo-suppressor.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const BINS = 129;
const gaussian = gaussianSource(seededRandom(33));

function spectrum(gain: number): Float32Array {
  return Float32Array.from({ length: 2 * BINS }, () => gain * gaussian());
}

function powers(values: Float32Array): Float64Array {
  return Float64Array.from(
    { length: BINS },
    (_, k) => (values[2 * k] as number) ** 2 + (values[2 * k + 1] as number) ** 2,
  );
}

function make(floorDb?: number) {
  return new ResidualEchoSuppressor({
    binCount: BINS,
    blockSeconds: 0.008,
    ...(floorDb === undefined ? {} : { floorDb }),
  });
}

describe('ResidualEchoSuppressor', () => {
  it('takes an error that is all expected residual echo down to exactly the floor, and no further', () => {
    for (const floorDb of [-30, -20]) {
      const suppressor = make(floorDb);
      for (let block = 0; block < 5; block++) {
        const error = spectrum(1);
        const before = error.slice();
        const expected = powers(error).map((power) => power * 100 + 1);
        suppressor.process(error, spectrum(1), expected, false);
        for (let i = 0; i < error.length; i++) {
          expect((error[i] as number) / (before[i] as number)).toBeCloseTo(10 ** (floorDb / 20), 6);
        }
      }
      expect(suppressor.remainingEchoPower / suppressor.residualEchoPower).toBeCloseTo(10 ** (floorDb / 10), 6);
    }
  });

  it('passes the error through untouched when no echo is expected', () => {
    const suppressor = make();
    const error = spectrum(1);
    const before = error.slice();
    suppressor.process(error, new Float32Array(2 * BINS), new Float64Array(BINS), false);
    expect(Array.from(error)).toEqual(Array.from(before));
    expect(suppressor.residualEchoPower).toBe(0);
  });

  it('keeps near-end speech nearly whole when it stands well over the expected residual', () => {
    const suppressor = make();
    let kept = 0;
    let total = 0;
    for (let block = 0; block < 20; block++) {
      const echo = spectrum(1);
      const nearEnd = spectrum(0.5);
      const residualLevel = 0.005; // −40 dB under the echo estimate
      const error = nearEnd.map((value, i) => value + residualLevel * (echo[i] as number));
      const expected = powers(echo).map((power) => power * residualLevel ** 2);
      suppressor.process(error, echo, expected, true);
      if (block < 5) continue;
      for (let i = 0; i < error.length; i++) {
        kept += (error[i] as number) ** 2;
        total += (nearEnd[i] as number) ** 2;
      }
    }
    // Near-end over echo-estimate-leak (−30 dB) and residual: well under 1 dB lost.
    expect(10 * Math.log10(kept / total)).toBeGreaterThan(-1);
  });

  it('recovers the gain over a few blocks once the residual is gone', () => {
    const suppressor = make();
    const error = spectrum(1);
    suppressor.process(
      error,
      new Float32Array(2 * BINS),
      powers(error).map((p) => p * 100),
      false,
    );
    expect(suppressor.gains[10]).toBeCloseTo(10 ** (-30 / 20), 6);
    const trace: number[] = [];
    for (let block = 0; block < 8; block++) {
      suppressor.process(spectrum(1), new Float32Array(2 * BINS), new Float64Array(BINS), false);
      trace.push(suppressor.gains[10] as number);
    }
    expect(trace[0]).toBeLessThan(0.6); // not at once...
    expect(trace.at(-1)).toBeGreaterThan(0.99); // ...but within 8 blocks (64 ms)
    for (let i = 1; i < trace.length; i++) expect(trace[i]).toBeGreaterThan(trace[i - 1] as number);
  });

  it('rejects bad options and spectra of the wrong size', () => {
    expect(() => make(3)).toThrow(/floorDb must be <= 0, got 3/);
    expect(() => new ResidualEchoSuppressor({ binCount: 2, blockSeconds: 0.008 })).toThrow(RangeError);
    expect(() => make().process(new Float32Array(4), spectrum(1), new Float64Array(BINS), false)).toThrow(
      /expected spectra of 258 values and 129 residual bins, got 4, 258 and 129/,
    );
  });
});
