/**
 * Opens the masker while the wearer speaks: a short linear fade in (no click), and after
 * the wearer stops a hold (the endpointer's decision already lags the voice, and words
 * resume after short pauses) then a linear fade to exactly zero.
 */
import { z } from 'zod';
import { numberAbove, numberIn, parseOptions } from './speaker-options.js';

export const SpeechGateOptionsSchema = z.strictObject({
  attackMs: numberAbove(0, 50, 'ms').default(5),
  holdMs: numberIn(0, 2000, 'ms').default(150),
  releaseMs: numberAbove(0, 2000, 'ms').default(150),
});
export type SpeechGateOptions = z.input<typeof SpeechGateOptionsSchema>;

export class SpeechGate {
  private gainValue = 0;
  private holdRemainingSamples = 0;
  private readonly attackStep: number;
  private readonly releaseStep: number;
  private readonly holdSamples: number;

  constructor(sampleRateHz: number, options: SpeechGateOptions = {}) {
    const parsed = parseOptions(SpeechGateOptionsSchema, options, 'SpeechGate');
    // Whole numbers of samples per ramp; the last step snaps, so rounding cannot leave a residue.
    this.attackStep = 1 / Math.max(1, Math.floor((parsed.attackMs * sampleRateHz) / 1000));
    this.releaseStep = 1 / Math.max(1, Math.floor((parsed.releaseMs * sampleRateHz) / 1000));
    this.holdSamples = Math.round((parsed.holdMs * sampleRateHz) / 1000);
  }

  /** Current gain, 0 (closed) to 1 (open). */
  get gain(): number {
    return this.gainValue;
  }

  /** Advances one sample and returns the gain for it. */
  advance(wearerSpeaking: boolean): number {
    if (wearerSpeaking) {
      this.holdRemainingSamples = this.holdSamples;
      const next = this.gainValue + this.attackStep;
      this.gainValue = next >= 1 - 1e-9 ? 1 : next;
    } else if (this.holdRemainingSamples > 0) {
      this.holdRemainingSamples--;
    } else if (this.gainValue > 0) {
      const next = this.gainValue - this.releaseStep;
      this.gainValue = next <= 1e-9 ? 0 : next;
    }
    return this.gainValue;
  }

  reset(): void {
    this.gainValue = 0;
    this.holdRemainingSamples = 0;
  }
}
