/**
 * Per-band level of the wearer's voice as the masker follows it: a fast attack so the
 * masker is up within a few milliseconds of a syllable's onset, a hold that bridges the
 * gaps between syllables, and a slow release (a constant dB-per-second fall). The slow
 * side is deliberate: a masker whose band levels followed the syllabic envelope would be
 * a noise vocoder of the Chinese, and noise-vocoded speech in as few as four bands is
 * highly intelligible (Shannon et al., Science 270:303, 1995); smearing band envelopes
 * below ~4 Hz removes most of that information (Drullman, Festen & Plomp, JASA 95:1053,
 * 1994). See docs/masking.md.
 */
import { z } from 'zod';
import { numberAbove, numberIn, parseOptions } from './speaker-options.js';

export const BandLevelTrackerOptionsSchema = z.strictObject({
  /** Time constant of the rise towards a louder band power. */
  attackMs: numberAbove(0, 50, 'ms').default(5),
  /** How long a band holds its level after the input falls below it. */
  holdMs: numberIn(0, 2000, 'ms').default(200),
  /** How fast a band's level falls once the hold has run out. */
  releaseDbPerSecond: numberIn(1, 200, 'dB/s').default(10),
});
export type BandLevelTrackerOptions = z.input<typeof BandLevelTrackerOptionsSchema>;

/** Levels never fall below this power (−120 dBFS), so dB conversions stay finite. */
const FLOOR_POWER = 1e-12;

export class BandLevelTracker {
  /** Tracked power per band (linear mean square). */
  readonly levels: Float64Array;
  private readonly holdRemainingMs: Float64Array;
  private readonly attackShare: number;
  private readonly releaseFactor: number;
  private readonly holdMs: number;

  constructor(
    bandCount: number,
    readonly updateIntervalMs: number,
    options: BandLevelTrackerOptions = {},
  ) {
    const parsed = parseOptions(BandLevelTrackerOptionsSchema, options, 'BandLevelTracker');
    this.levels = new Float64Array(bandCount).fill(FLOOR_POWER);
    this.holdRemainingMs = new Float64Array(bandCount);
    this.attackShare = 1 - Math.exp(-updateIntervalMs / parsed.attackMs);
    this.releaseFactor = 10 ** (-(parsed.releaseDbPerSecond * updateIntervalMs) / 1000 / 10);
    this.holdMs = parsed.holdMs;
  }

  /** One update per analysis hop with the newest band powers. */
  update(bandPowers: Float64Array): void {
    for (let b = 0; b < this.levels.length; b++) {
      const input = Math.max(FLOOR_POWER, bandPowers[b] as number);
      const level = this.levels[b] as number;
      if (input >= level) {
        this.levels[b] = level + (input - level) * this.attackShare;
        this.holdRemainingMs[b] = this.holdMs;
      } else if ((this.holdRemainingMs[b] as number) > 0) {
        this.holdRemainingMs[b] = (this.holdRemainingMs[b] as number) - this.updateIntervalMs;
      } else {
        this.levels[b] = Math.max(input, level * this.releaseFactor);
      }
    }
  }

  reset(): void {
    this.levels.fill(FLOOR_POWER);
    this.holdRemainingMs.fill(0);
  }
}
