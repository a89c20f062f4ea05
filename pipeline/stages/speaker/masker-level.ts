/**
 * How loud the masker must be, band by band, from the calibration chain (docs/masking.md):
 *
 *   leaking voice at the child  = mic band level + leakDb
 *   masker needed at the child  = that − targetSmrDb(mode) + marginDb
 *   masker at the speaker       = that − speakerToListenerDb
 *
 * The band noises overlap (their triangles cross at the band edges), so the per-band
 * targets are turned into band-noise powers by solving the small cross-power system;
 * a band whose solution goes negative is clamped to zero, which can only add masker to
 * its neighbours, never take it away. The total is then capped at `maxLevelDbfs`, all
 * bands alike so the spectrum keeps its shape, and the cap is reported.
 */
import { z } from 'zod';
import { numberIn, parseOptions } from './speaker-options.js';

export const MASKER_MODES = ['off', 'soft', 'full'] as const;
export type MaskerMode = (typeof MASKER_MODES)[number];

/**
 * Highest speech-to-masker ratio per band at the child's position, dB (docs/masking.md):
 * full: −15 dB, where every band's SII audibility (SNR + 15)/30 is zero (ANSI S3.5-1997);
 * soft: −10 dB, SII ≤ 0.17, 5 dB under the sentence SRT in speech-shaped noise (≈ −5 dB,
 * Plomp & Mimpen 1979).
 */
export const TARGET_SMR_DB: Readonly<Record<Exclude<MaskerMode, 'off'>, number>> = { soft: -10, full: -15 };

/** The part of the calibration profile's MaskLeak the masker reads (a MaskLeak fits). */
export const MaskerCalibrationSchema = z
  .object({
    bandsHz: z.array(z.number().positive()).min(1),
    leakDb: z.array(numberIn(-100, 20, 'dB')).min(1),
    speakerToListenerDb: z.array(numberIn(-100, 40, 'dB')).min(1),
  })
  .superRefine((value, ctx) => {
    for (const key of ['leakDb', 'speakerToListenerDb'] as const) {
      if (value[key].length !== value.bandsHz.length) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `must have one value per band (${value.bandsHz.length}), has ${value[key].length}`,
        });
      }
    }
  });
export type MaskerCalibration = z.input<typeof MaskerCalibrationSchema>;

export const MaskerLevelOptionsSchema = z.strictObject({
  mode: z.enum(MASKER_MODES).default('full'),
  /** Extra masker over the target, for tracking and spectral-shape errors. */
  marginDb: numberIn(0, 20, 'dB').default(3),
  /** Ceiling on the masker's total RMS level at the speaker, so a shout cannot make it deafening. */
  maxLevelDbfs: numberIn(-60, -3, 'dBFS').default(-10),
});
export type MaskerLevelOptions = z.input<typeof MaskerLevelOptionsSchema>;

export interface BandNoiseMixing {
  readonly crossPower: readonly Float64Array[];
  readonly totalPower: Float64Array;
}

export class MaskerLevelControl {
  readonly marginDb: number;
  readonly maxLevelDbfs: number;
  private modeValue: MaskerMode;
  private readonly leakDb: readonly number[];
  private readonly speakerToListenerDb: readonly number[];
  /** Power gain per band from tracked mic power to wanted own-band output power. */
  private readonly bandGains: Float64Array;
  private readonly inverseCrossPower: Float64Array[];
  private readonly totalPower: Float64Array;
  private readonly targets: Float64Array;
  private readonly capPower: number;
  /** Total masker level the last `compute` asked for, before and after the cap (dBFS). */
  wantedLevelDbfs = Number.NEGATIVE_INFINITY;
  commandedLevelDbfs = Number.NEGATIVE_INFINITY;

  constructor(calibration: MaskerCalibration, mixing: BandNoiseMixing, options: MaskerLevelOptions = {}) {
    const cal = parseOptions(MaskerCalibrationSchema, calibration, 'masker calibration');
    const parsed = parseOptions(MaskerLevelOptionsSchema, options, 'MaskerLevelControl');
    if (mixing.totalPower.length !== cal.bandsHz.length) {
      throw new RangeError(`masker calibration: ${cal.bandsHz.length} bands, noise has ${mixing.totalPower.length}`);
    }
    this.marginDb = parsed.marginDb;
    this.maxLevelDbfs = parsed.maxLevelDbfs;
    this.capPower = 10 ** (parsed.maxLevelDbfs / 10);
    this.modeValue = parsed.mode;
    this.leakDb = cal.leakDb;
    this.speakerToListenerDb = cal.speakerToListenerDb;
    this.bandGains = new Float64Array(cal.bandsHz.length);
    this.targets = new Float64Array(cal.bandsHz.length);
    this.totalPower = mixing.totalPower;
    this.inverseCrossPower = invert(mixing.crossPower);
    this.updateBandGains();
  }

  get mode(): MaskerMode {
    return this.modeValue;
  }

  setMode(mode: MaskerMode): void {
    if (!MASKER_MODES.includes(mode))
      throw new RangeError(`mode: must be one of ${MASKER_MODES.join(', ')}, got ${mode}`);
    this.modeValue = mode;
    this.updateBandGains();
  }

  private updateBandGains(): void {
    const mode = this.modeValue;
    for (let b = 0; b < this.bandGains.length; b++) {
      this.bandGains[b] =
        mode === 'off'
          ? 0
          : 10 **
            (((this.leakDb[b] as number) -
              TARGET_SMR_DB[mode] +
              this.marginDb -
              (this.speakerToListenerDb[b] as number)) /
              10);
    }
  }

  /**
   * Band-noise amplitudes (each band noise has unit own-band power) for the tracked mic
   * band powers. Returns true when the cap limited them.
   */
  compute(micBandPowers: Float64Array, amplitudesOut: Float64Array): boolean {
    const count = this.bandGains.length;
    for (let b = 0; b < count; b++) this.targets[b] = (micBandPowers[b] as number) * (this.bandGains[b] as number);
    let total = 0;
    for (let b = 0; b < count; b++) {
      const row = this.inverseCrossPower[b] as Float64Array;
      let power = 0;
      for (let c = 0; c < count; c++) power += (row[c] as number) * (this.targets[c] as number);
      power = Math.max(0, power);
      amplitudesOut[b] = power;
      total += power * (this.totalPower[b] as number);
    }
    const capped = total > this.capPower;
    const scale = capped ? this.capPower / total : 1;
    for (let b = 0; b < count; b++) amplitudesOut[b] = Math.sqrt((amplitudesOut[b] as number) * scale);
    this.wantedLevelDbfs = 10 * Math.log10(total);
    this.commandedLevelDbfs = 10 * Math.log10(total * scale);
    return capped;
  }
}

/** Inverse of a small square matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(matrix: readonly Float64Array[]): Float64Array[] {
  const size = matrix.length;
  const work: Float64Array[] = matrix.map((row, r) => {
    const extended = new Float64Array(2 * size);
    extended.set(row);
    extended[size + r] = 1;
    return extended;
  });
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let r = column + 1; r < size; r++) {
      if (
        Math.abs((work[r] as Float64Array)[column] as number) >
        Math.abs((work[pivot] as Float64Array)[column] as number)
      )
        pivot = r;
    }
    const swapped = work[pivot] as Float64Array;
    work[pivot] = work[column] as Float64Array;
    work[column] = swapped;
    const pivotRow = work[column] as Float64Array;
    const pivotValue = pivotRow[column] as number;
    if (Math.abs(pivotValue) < 1e-12) throw new RangeError('masker bands: cross-power matrix is singular');
    for (let c = 0; c < 2 * size; c++) pivotRow[c] = (pivotRow[c] as number) / pivotValue;
    for (let r = 0; r < size; r++) {
      if (r === column) continue;
      const row = work[r] as Float64Array;
      const factor = row[column] as number;
      if (factor === 0) continue;
      for (let c = 0; c < 2 * size; c++) row[c] = (row[c] as number) - factor * (pivotRow[c] as number);
    }
  }
  return work.map((row) => row.slice(size));
}
