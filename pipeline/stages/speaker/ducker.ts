/**
 * Ducks the masker under the English: while English plays the masker's gain falls
 * linearly in dB to −duckDb, reaching it `attackMs` after the English starts; after the
 * English stops (and a hold that bridges the gaps between its words) it comes back over
 * `releaseMs`. Linear in dB, so the attack time is exactly when the full depth is reached.
 *
 * Default depth 40 dB (docs/masking.md): the full-mode masker sits up to ~25 dB over the
 * leaking voice, so 40 dB puts it well below the leak and near a quiet room's noise floor
 * at the child, leaving the English ≥ 15 dB clear of it (every SII band fully audible),
 * while the gain stays a smooth finite ramp.
 */
import { z } from 'zod';
import { numberAbove, numberIn, parseOptions } from './speaker-options.js';

export const DuckerOptionsSchema = z.strictObject({
  duckDb: numberIn(6, 100, 'dB').default(40),
  /** Time to reach the full depth after the English starts (≤ 20 ms by requirement). */
  attackMs: numberAbove(0, 20, 'ms').default(10),
  /** Time the English may pause (between words or lines) before the masker returns. */
  holdMs: numberIn(0, 2000, 'ms').default(250),
  /** Time to come back from the full depth to no ducking. */
  releaseMs: numberAbove(0, 5000, 'ms').default(300),
});
export type DuckerOptions = z.input<typeof DuckerOptionsSchema>;

export class Ducker {
  readonly duckDb: number;
  readonly attackMs: number;
  private gainDbValue = 0;
  private gainValue = 1;
  private holdRemainingSamples = 0;
  private readonly attackStepDb: number;
  private readonly releaseStepDb: number;
  private readonly holdSamples: number;

  constructor(sampleRateHz: number, options: DuckerOptions = {}) {
    const parsed = parseOptions(DuckerOptionsSchema, options, 'Ducker');
    this.duckDb = parsed.duckDb;
    this.attackMs = parsed.attackMs;
    // Whole numbers of samples, so the full depth is reached on the attack's last sample.
    this.attackStepDb = parsed.duckDb / Math.max(1, Math.floor((parsed.attackMs * sampleRateHz) / 1000));
    this.releaseStepDb = parsed.duckDb / Math.max(1, Math.floor((parsed.releaseMs * sampleRateHz) / 1000));
    this.holdSamples = Math.round((parsed.holdMs * sampleRateHz) / 1000);
  }

  /** Current ducking gain in dB (0 … −duckDb). */
  get gainDb(): number {
    return this.gainDbValue;
  }

  /** Advances one sample and returns the linear gain for it. */
  advance(englishPlaying: boolean): number {
    const before = this.gainDbValue;
    if (englishPlaying) {
      this.holdRemainingSamples = this.holdSamples;
      const next = before - this.attackStepDb;
      // Snap the last step so rounding cannot leave the gain a hair short of the depth.
      this.gainDbValue = next <= -this.duckDb + 1e-9 ? -this.duckDb : next;
    } else if (this.holdRemainingSamples > 0) {
      this.holdRemainingSamples--;
    } else {
      const next = before + this.releaseStepDb;
      this.gainDbValue = next >= -1e-9 ? 0 : next;
    }
    if (this.gainDbValue !== before) this.gainValue = 10 ** (this.gainDbValue / 20);
    return this.gainValue;
  }

  reset(): void {
    this.gainDbValue = 0;
    this.gainValue = 1;
    this.holdRemainingSamples = 0;
  }
}
