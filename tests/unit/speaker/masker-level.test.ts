/** The calibration chain from mic band level to masker band level, and the cap. */
import { describe, expect, it } from 'vitest';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { MaskerLevelControl, TARGET_SMR_DB } from '../../../pipeline/stages/speaker/masker-level.js';
import { bandLayout } from '../../../pipeline/stages/speaker/octave-bands.js';
import { ShapedNoiseGenerator } from '../../../pipeline/stages/speaker/shaped-noise.js';

const noise = new ShapedNoiseGenerator(bandLayout(MASK_BANDS_HZ, 16_000), 512, 16_000, 1);
const leak = defaultMaskLeak();
/** Typical speech band powers at the inner mic, −28 dBFS overall (dB per band). */
const micDb = [-33, -32, -35, -41, -47];
const micPowers = Float64Array.from(micDb, (d) => 10 ** (d / 10));

/** Own-band power each band receives from all band noises: Σ_b crossPower[c][b]·a_b². */
function achievedDb(amplitudes: Float64Array): number[] {
  return MASK_BANDS_HZ.map((_, c) => {
    let sum = 0;
    amplitudes.forEach((a, b) => {
      sum += (noise.crossPower[c]?.[b] as number) * a * a;
    });
    return 10 * Math.log10(sum);
  });
}

describe('MaskerLevelControl', () => {
  it('documents the targets: full −15 dB (SII 0), soft −10 dB', () => {
    expect(TARGET_SMR_DB).toEqual({ full: -15, soft: -10 });
  });

  it('asks each band for mic + leak − target + margin − speakerToListener, at least', () => {
    const control = new MaskerLevelControl(leak, noise, { mode: 'full', marginDb: 3, maxLevelDbfs: -3 });
    const amplitudes = new Float64Array(5);
    expect(control.compute(micPowers, amplitudes)).toBe(false);
    const achieved = achievedDb(amplitudes);
    micDb.forEach((mic, b) => {
      const wanted = mic + (leak.leakDb[b] as number) + 15 + 3 - (leak.speakerToListenerDb[b] as number);
      // Where a neighbour's skirt alone exceeds a band's need, that band gets more, never less.
      expect(achieved[b]).toBeGreaterThanOrEqual(wanted - 1e-9);
    });
  });

  it('solves the band overlap exactly where the wanted spectrum allows it', () => {
    const control = new MaskerLevelControl(leak, noise, { mode: 'full', marginDb: 3, maxLevelDbfs: -3 });
    // Mic levels that ask every band for the same −30 dBFS at the speaker.
    const offsets = MASK_BANDS_HZ.map(
      (_, b) => (leak.leakDb[b] as number) + 18 - (leak.speakerToListenerDb[b] as number),
    );
    const flat = Float64Array.from(offsets, (offset) => 10 ** ((-30 - offset) / 10));
    const amplitudes = new Float64Array(5);
    control.compute(flat, amplitudes);
    for (const level of achievedDb(amplitudes)) expect(level).toBeCloseTo(-30, 9);
  });

  it('puts soft 5 dB under full and off at zero', () => {
    const control = new MaskerLevelControl(leak, noise, { mode: 'full', maxLevelDbfs: -3 });
    const full = new Float64Array(5);
    control.compute(micPowers, full);
    control.setMode('soft');
    const soft = new Float64Array(5);
    control.compute(micPowers, soft);
    achievedDb(full).forEach((f, b) => {
      expect(f - (achievedDb(soft)[b] as number)).toBeCloseTo(5, 6);
    });
    control.setMode('off');
    const off = new Float64Array(5).fill(1);
    control.compute(micPowers, off);
    expect([...off]).toEqual([0, 0, 0, 0, 0]);
  });

  it('caps the total at maxLevelDbfs, keeping the shape, and says so', () => {
    const control = new MaskerLevelControl(leak, noise, { mode: 'full', maxLevelDbfs: -20 });
    const shout = micPowers.map((p) => p * 100); // 20 dB louder
    const amplitudes = new Float64Array(5);
    expect(control.compute(shout, amplitudes)).toBe(true);
    const total = amplitudes.reduce((sum, a, b) => sum + a * a * (noise.totalPower[b] as number), 0);
    expect(10 * Math.log10(total)).toBeCloseTo(-20, 9);
    expect(control.commandedLevelDbfs).toBeCloseTo(-20, 9);
    expect(control.wantedLevelDbfs).toBeGreaterThan(-20);
    const uncapped = new Float64Array(5);
    new MaskerLevelControl(leak, noise, { mode: 'full', maxLevelDbfs: -3 }).compute(shout, uncapped);
    const ratios = [...amplitudes].flatMap((a, b) =>
      (uncapped[b] as number) > 0 ? [a / (uncapped[b] as number)] : [],
    );
    expect(ratios.length).toBeGreaterThan(2);
    for (const ratio of ratios) expect(ratio).toBeCloseTo(ratios[0] as number, 9);
  });

  it('refuses a profile whose per-band lists do not match its bands, and bad options', () => {
    expect(() => new MaskerLevelControl({ ...leak, leakDb: [-40, -45] }, noise)).toThrow(
      /leakDb: must have one value per band \(5\), has 2/,
    );
    expect(() => new MaskerLevelControl(leak, noise, { marginDb: 30 })).toThrow(
      /marginDb: must be between 0 and 20 dB/,
    );
    expect(() => new MaskerLevelControl(leak, noise, { maxLevelDbfs: 0 })).toThrow(
      /maxLevelDbfs: must be between -60 and -3 dBFS, got 0/,
    );
    expect(() => new MaskerLevelControl(leak, noise, { mode: 'loud' as never })).toThrow(/mode/);
  });
});
