/** The band layout shared by the masker's analysis and synthesis. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { bandLayout, binBands, triangularBandWeights } from '../../../pipeline/stages/speaker/octave-bands.js';

describe('bandLayout', () => {
  it('gives the SII octave bands fc/√2 … fc·√2', () => {
    const layout = bandLayout(MASK_BANDS_HZ, 16_000);
    MASK_BANDS_HZ.forEach((fc, b) => {
      expect(layout.lowerEdgesHz[b]).toBeCloseTo(fc / Math.SQRT2, 6);
      expect(layout.upperEdgesHz[b]).toBeCloseTo(fc * Math.SQRT2, 6);
    });
  });

  it('refuses centres that do not ascend or lie past Nyquist', () => {
    expect(() => bandLayout([500, 250], 16_000)).toThrow(/bandsHz\[1\].*ascend/);
    expect(() => bandLayout([250, 9000], 16_000)).toThrow(/bandsHz\[1\].*between 0 and 8000 Hz/);
    expect(() => bandLayout([], 16_000)).toThrow(/at least one/);
  });
});

describe('binBands', () => {
  it('puts every bin between the outer edges in exactly one band', () => {
    const layout = bandLayout(MASK_BANDS_HZ, 16_000);
    const bins = binBands(layout, 256, 16_000);
    expect(bins[3]).toBe(0); // 187.5 Hz
    expect(bins[16]).toBe(2); // 1000 Hz
    expect(bins[2]).toBe(-1); // 125 Hz, below the 250 Hz band
    expect(bins[100]).toBe(-1); // 6250 Hz, above the 4 kHz band
  });

  it('refuses a band too narrow to hold a bin', () => {
    const layout = bandLayout([250, 260, 270], 16_000);
    expect(() => binBands(layout, 256, 16_000)).toThrow(/holds no bin/);
  });
});

describe('triangularBandWeights', () => {
  it('sums to one from the lowest band edge to Nyquist, and crosses half-way between centres', () => {
    const layout = bandLayout(MASK_BANDS_HZ, 16_000);
    const weights = triangularBandWeights(layout, 512, 16_000);
    for (let k = 1; k < 256; k++) {
      const f = (k * 16_000) / 512;
      const sum = weights.reduce((total, w) => total + (w[k] as number), 0);
      expect(sum).toBeCloseTo(f >= 250 / Math.SQRT2 ? 1 : 0, 12);
    }
    // 707 Hz is half an octave above 500 Hz: the 500 and 1000 Hz triangles cross there.
    const k707 = Math.round((500 * Math.SQRT2 * 512) / 16_000);
    const f = (k707 * 16_000) / 512;
    expect(weights[2]?.[k707]).toBeCloseTo(Math.log2(f / 500), 12);
  });
});
