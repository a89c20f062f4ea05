/** Band levels of the microphone signal, as the masker measures them. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { BandAnalyzer } from '../../../pipeline/stages/speaker/band-analyzer.js';
import { bandLayout } from '../../../pipeline/stages/speaker/octave-bands.js';
import { sine, whiteNoise } from './test-signals.js';

const layout = bandLayout(MASK_BANDS_HZ, 16_000);

function averagePowers(signal: Float32Array): number[] {
  const analyzer = new BandAnalyzer(layout, 256, 80, 16_000);
  const sums = new Array<number>(MASK_BANDS_HZ.length).fill(0);
  let count = 0;
  for (let start = 0; start + 80 <= signal.length; start += 80) {
    if (analyzer.push(signal, start, start + 80) && start >= 256) {
      analyzer.bandPowers.forEach((p, b) => {
        sums[b] = (sums[b] as number) + p;
      });
      count++;
    }
  }
  return sums.map((s) => s / count);
}

describe('BandAnalyzer', () => {
  it('reads a 1 kHz sine of amplitude A as A²/2 in the 1 kHz band and nearly nothing elsewhere', () => {
    const powers = averagePowers(sine(16_000, 1000, 0.1));
    expect(10 * Math.log10(powers[2] as number)).toBeCloseTo(10 * Math.log10(0.005), 0);
    for (const b of [0, 1, 3, 4]) expect((powers[b] as number) / (powers[2] as number)).toBeLessThan(1e-3);
  });

  it('splits white noise in proportion to bandwidth', () => {
    const powers = averagePowers(whiteNoise(16_000 * 4, -20, 3));
    MASK_BANDS_HZ.forEach((fc, b) => {
      const share = (fc * Math.SQRT2 - fc / Math.SQRT2) / 8000;
      // Bins are 62.5 Hz wide, so the narrow 250 Hz band is quantised (3 bins for 177 Hz).
      expect(10 * Math.log10((powers[b] as number) / (0.01 * share))).toBeCloseTo(0, b === 0 ? -0.5 : 0);
    });
  });

  it('reports a new analysis exactly once per hop and refuses a chunk that crosses one', () => {
    const analyzer = new BandAnalyzer(layout, 256, 80, 16_000);
    const frame = new Float32Array(160);
    expect(analyzer.push(frame, 0, 50)).toBe(false);
    expect(analyzer.samplesToNextAnalysis).toBe(30);
    expect(() => analyzer.push(frame, 50, 160)).toThrow(/hop boundary/);
    expect(analyzer.push(frame, 50, 80)).toBe(true);
  });

  it('refuses a window that is not a power of two, or a hop longer than it', () => {
    expect(() => new BandAnalyzer(layout, 300, 80, 16_000)).toThrow(/analysisWindowSamples/);
    expect(() => new BandAnalyzer(layout, 256, 300, 16_000)).toThrow(/analysisHopSamples.*1 to 256/);
  });
});
