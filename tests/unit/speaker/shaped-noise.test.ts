/** The masker's band noises: unit own-band power, smooth overlap, seeded, ramped per sample. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { bandLayout } from '../../../pipeline/stages/speaker/octave-bands.js';
import { ShapedNoiseGenerator } from '../../../pipeline/stages/speaker/shaped-noise.js';
import { blockBandPowers } from '../../integration/speaker/child-position.js';

const layout = bandLayout(MASK_BANDS_HZ, 16_000);

function renderBand(generator: ShapedNoiseGenerator, band: number, lengthSamples: number, chunk = 80): Float32Array {
  const amplitudes = new Float64Array(MASK_BANDS_HZ.length);
  amplitudes[band] = 1;
  const out = new Float32Array(lengthSamples);
  for (let start = 0; start < lengthSamples; start += chunk) {
    generator.render(out, start, Math.min(lengthSamples, start + chunk), amplitudes, amplitudes);
  }
  return out;
}

const meanDb = (row: Float64Array) => 10 * Math.log10(row.reduce((a, b) => a + b, 0) / row.length);

describe('ShapedNoiseGenerator', () => {
  it('gives each band noise unit power in its own octave and the stated cross-power in its neighbours', () => {
    const generator = new ShapedNoiseGenerator(layout, 512, 16_000, 7);
    for (let band = 0; band < MASK_BANDS_HZ.length; band++) {
      const powers = blockBandPowers(renderBand(generator, band, 16_000 * 8), MASK_BANDS_HZ);
      expect(Math.abs(meanDb(powers[band] as Float64Array))).toBeLessThan(0.5);
      for (const neighbour of [band - 1, band + 1]) {
        if (neighbour < 0 || neighbour >= MASK_BANDS_HZ.length) continue;
        const stated = generator.crossPower[neighbour]?.[band] as number;
        expect(stated).toBeGreaterThan(0.05);
        expect(Math.abs(meanDb(powers[neighbour] as Float64Array) - 10 * Math.log10(stated))).toBeLessThan(1);
      }
    }
  });

  it('is reproducible from its seed and differs between seeds', () => {
    const a = renderBand(new ShapedNoiseGenerator(layout, 512, 16_000, 1), 2, 4000);
    const b = renderBand(new ShapedNoiseGenerator(layout, 512, 16_000, 1), 2, 4000, 160);
    const c = renderBand(new ShapedNoiseGenerator(layout, 512, 16_000, 2), 2, 4000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('ramps a band amplitude linearly across a chunk', () => {
    const steady = renderBand(new ShapedNoiseGenerator(layout, 512, 16_000, 3), 1, 80);
    const generator = new ShapedNoiseGenerator(layout, 512, 16_000, 3);
    const ramped = new Float32Array(80);
    const zero = new Float64Array(5);
    const one = Float64Array.of(0, 1, 0, 0, 0);
    generator.render(ramped, 0, 80, zero, one);
    for (let i = 0; i < 80; i++) expect(ramped[i]).toBeCloseTo(((steady[i] as number) * (i + 1)) / 80, 6);
  });

  it('writes exact zeros when every amplitude is zero, and refuses an oversized chunk', () => {
    const generator = new ShapedNoiseGenerator(layout, 512, 16_000, 3);
    const out = new Float32Array(4000).fill(0.5);
    const zero = new Float64Array(5);
    generator.render(out, 0, 1000, zero, zero);
    expect(out.subarray(0, 1000).every((v) => v === 0)).toBe(true);
    expect(out[1000]).toBe(0.5);
    expect(() => generator.render(out, 0, 4000, zero, zero)).toThrow(/exceeds/);
  });
});
