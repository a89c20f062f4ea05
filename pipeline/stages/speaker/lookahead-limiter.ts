/**
 * Look-ahead peak limiter for the whole speaker output: no sample ever leaves above
 * `ceilingDbfs`, whatever comes in (full-scale squares, clipped sums, earcons on top).
 *
 * The signal is delayed by L = lookAheadMs samples. For each incoming sample the gain it
 * needs is g = min(1, ceiling/|x|); a running minimum over the last L+1 needed gains,
 * with a release that lets the gain recover exponentially, is smoothed by a moving
 * average over the same L+1 samples. Every value averaged for the output sample x[n−L]
 * was taken over a window that contained n−L, so the average can never exceed the gain
 * that sample needs: the limit holds by construction, and the moving average turns the
 * attack into a smooth L-sample ramp instead of a step (the min-filter-plus-smoothing
 * design of Zölzer, DAFX 2nd ed. 2011, ch. 4; Giannoulis, Massberg & Reiss, JAES 60(6),
 * 2012, on release smoothing). A final clamp only absorbs float rounding and counts any
 * sample it had to move by more than that.
 */
import { z } from 'zod';
import { PIPELINE_SAMPLE_RATE } from '../../bus/audio-frame.js';
import { numberAbove, numberIn, parseOptions } from './speaker-options.js';

export const LookaheadLimiterOptionsSchema = z.strictObject({
  ceilingDbfs: numberIn(-30, 0, 'dBFS').default(-1),
  lookAheadMs: numberAbove(0, 5, 'ms').default(3),
  /** Time constant of the gain's recovery after a peak. */
  releaseMs: numberIn(1, 2000, 'ms').default(60),
});
export type LookaheadLimiterOptions = z.input<typeof LookaheadLimiterOptionsSchema>;

export class LookaheadLimiter {
  readonly ceilingDbfs: number;
  /** Delay the limiter adds to everything it passes. */
  readonly latencySamples: number;
  readonly latencyMs: number;
  /** Samples the rounding clamp moved by more than rounding: should stay 0. */
  safetyClampCount = 0;
  /** NaN or infinite input samples, replaced by silence. */
  nonFiniteCount = 0;
  private readonly ceiling: number;
  /** The largest float32 not above the ceiling, for the output clamp. */
  private readonly ceilingFloat32: number;
  private readonly releaseShare: number;
  private readonly delay: Float64Array;
  private delayIndex = 0;
  /** Monotonic queue of (index, needed gain) for the running minimum over L+1 samples. */
  private readonly queueGains: Float64Array;
  private readonly queueIndices: Float64Array;
  private queueHead = 0;
  private queueLength = 0;
  /** The last L+1 released gains, and their sum, for the moving average. */
  private readonly smoothing: Float64Array;
  private smoothingIndex = 0;
  private smoothingSum: number;
  private released = 1;
  private sampleIndex = 0;
  private currentGain = 1;

  constructor(options: LookaheadLimiterOptions = {}, sampleRateHz = PIPELINE_SAMPLE_RATE) {
    const parsed = parseOptions(LookaheadLimiterOptionsSchema, options, 'LookaheadLimiter');
    this.ceilingDbfs = parsed.ceilingDbfs;
    this.ceiling = 10 ** (parsed.ceilingDbfs / 20);
    const rounded = Math.fround(this.ceiling);
    this.ceilingFloat32 = rounded <= this.ceiling ? rounded : Math.fround(rounded * (1 - 2 ** -24));
    this.latencySamples = Math.max(1, Math.round((parsed.lookAheadMs * sampleRateHz) / 1000));
    this.latencyMs = (this.latencySamples * 1000) / sampleRateHz;
    this.releaseShare = 1 - Math.exp(-1000 / (parsed.releaseMs * sampleRateHz));
    const span = this.latencySamples + 1;
    this.delay = new Float64Array(this.latencySamples);
    this.queueGains = new Float64Array(span + 1);
    this.queueIndices = new Float64Array(span + 1);
    this.smoothing = new Float64Array(span).fill(1);
    this.smoothingSum = span;
  }

  /** Gain applied to the last sample out (1 = no reduction). */
  get gain(): number {
    return this.currentGain;
  }

  /**
   * Limits `input` into `output` (the same array is fine) and returns the largest gain
   * reduction in this block, dB (≥ 0). Output lags input by `latencySamples`.
   */
  process(input: Float32Array, output: Float32Array): number {
    if (output.length !== input.length) {
      throw new RangeError(`LookaheadLimiter: output has ${output.length} samples for ${input.length} input samples`);
    }
    const span = this.latencySamples + 1;
    const capacity = this.queueGains.length;
    let minGain = 1;
    for (let i = 0; i < input.length; i++) {
      let x = input[i] as number;
      if (!Number.isFinite(x)) {
        x = 0;
        this.nonFiniteCount++;
      }
      const magnitude = Math.abs(x);
      const needed = magnitude > this.ceiling ? this.ceiling / magnitude : 1;
      const n = this.sampleIndex++;
      // Running minimum of the needed gain over samples n−L … n.
      while (this.queueLength > 0) {
        const tail = (this.queueHead + this.queueLength - 1) % capacity;
        if ((this.queueGains[tail] as number) < needed) break;
        this.queueLength--;
      }
      const slot = (this.queueHead + this.queueLength) % capacity;
      this.queueGains[slot] = needed;
      this.queueIndices[slot] = n;
      this.queueLength++;
      if ((this.queueIndices[this.queueHead] as number) < n - this.latencySamples) {
        this.queueHead = (this.queueHead + 1) % capacity;
        this.queueLength--;
      }
      const windowMin = this.queueGains[this.queueHead] as number;
      // Release: recover towards 1, never above what the window allows.
      this.released = Math.min(windowMin, this.released + (1 - this.released) * this.releaseShare);
      // Moving average over L+1 released gains; the sum is recomputed once per cycle so
      // rounding cannot drift.
      this.smoothingSum += this.released - (this.smoothing[this.smoothingIndex] as number);
      this.smoothing[this.smoothingIndex] = this.released;
      this.smoothingIndex++;
      if (this.smoothingIndex === span) {
        this.smoothingIndex = 0;
        let sum = 0;
        for (let k = 0; k < span; k++) sum += this.smoothing[k] as number;
        this.smoothingSum = sum;
      }
      const gain = this.smoothingSum / span;
      const delayed = this.delay[this.delayIndex] as number;
      this.delay[this.delayIndex] = x;
      this.delayIndex = (this.delayIndex + 1) % this.latencySamples;
      let y = delayed * gain;
      if (y > this.ceilingFloat32 || y < -this.ceilingFloat32) {
        if (Math.abs(y) - this.ceiling > 1e-6 * this.ceiling) this.safetyClampCount++;
        y = y > 0 ? this.ceilingFloat32 : -this.ceilingFloat32;
      }
      output[i] = y;
      this.currentGain = gain;
      if (gain < minGain) minGain = gain;
    }
    return -20 * Math.log10(minGain);
  }

  reset(): void {
    this.delay.fill(0);
    this.delayIndex = 0;
    this.queueHead = 0;
    this.queueLength = 0;
    this.smoothing.fill(1);
    this.smoothingIndex = 0;
    this.smoothingSum = this.smoothing.length;
    this.released = 1;
    this.sampleIndex = 0;
    this.currentGain = 1;
  }
}
