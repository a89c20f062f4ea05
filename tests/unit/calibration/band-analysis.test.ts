/** Octave-band levels: a tone lands in its band at its level; white noise spreads by bandwidth. */
import { describe, expect, it } from 'vitest';
import {
  bandLevelsDbfs,
  meanBandPowers,
  OctaveBandAnalyser,
  octaveBandEdgesHz,
} from '../../../calibration/band-analysis.js';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const RATE = 16_000;
const analyser = new OctaveBandAnalyser(MASK_BANDS_HZ, RATE);

describe('octave-band analysis', () => {
  it('has octave edges around each centre', () => {
    const [low, high] = octaveBandEdgesHz(1000);
    expect(low).toBeCloseTo(707.1, 1);
    expect(high).toBeCloseTo(1414.2, 1);
  });

  it.each(MASK_BANDS_HZ.map((centre, band) => [centre, band]))(
    'puts a %i Hz tone at −13 dBFS RMS in its own band at −13 dBFS, and 30 dB less anywhere else',
    (centreHz, band) => {
      const amplitude = 10 ** (-13 / 20) * Math.SQRT2;
      const tone = Float32Array.from(
        { length: RATE * 2 },
        (_, i) => amplitude * Math.sin((2 * Math.PI * centreHz * i) / RATE),
      );
      const levels = bandLevelsDbfs(analyser, tone);
      expect(levels[band]).toBeCloseTo(-13, 0);
      levels.forEach((level, other) => {
        if (other !== band) expect(level).toBeLessThan(-43);
      });
    },
  );

  it('gives white noise band powers in proportion to bandwidth (3 dB more per octave up)', () => {
    const gaussian = gaussianSource(seededRandom(3));
    const noise = Float32Array.from({ length: RATE * 8 }, () => 0.1 * gaussian());
    const levels = bandLevelsDbfs(analyser, noise);
    // Total −20 dBFS over 8 kHz; a band of width B holds B / 8000 of it.
    MASK_BANDS_HZ.forEach((centreHz, band) => {
      const [low, high] = octaveBandEdgesHz(centreHz);
      expect(levels[band]).toBeCloseTo(-20 + 10 * Math.log10((high - low) / 8_000), 0);
    });
  });

  it('averages only the frames a selector keeps', () => {
    const signal = new Float32Array(RATE * 2);
    for (let i = RATE; i < signal.length; i++) signal[i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / RATE);
    const frames = analyser.frames(signal);
    const loud = meanBandPowers(frames, (frame) => (frames.framePowers[frame] as number) > 0.01);
    const quiet = meanBandPowers(frames, (frame) => (frames.framePowers[frame] as number) === 0);
    expect(10 * Math.log10(loud[2] as number)).toBeCloseTo(-9, 0);
    expect(quiet[2]).toBe(0);
  });

  it('refuses a band that reaches past Nyquist', () => {
    expect(() => new OctaveBandAnalyser([8000], RATE)).toThrow(/past Nyquist/);
  });
});
