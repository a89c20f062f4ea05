/**
 * Per-bin noise floor of a smoothed power spectrum by minimum tracking: the floor follows
 * any drop at once and rises by at most `riseDbPerSecond`, so speech and echo (which come
 * and go) do not lift it but a louder room does, within seconds. A simplified form of
 * minimum statistics (Martin 2001) without the windowed search; the minimum of a smoothed
 * periodogram sits below the mean noise power, so `floor` is scaled by `biasCompensation`.
 */
/** Powers below this (about −150 dBFS in a 256-point spectrum) count as digital silence. */
const DIGITAL_SILENCE_POWER = 1e-15;

export interface NoiseFloorTrackerOptions {
  binCount: number;
  blockSeconds: number;
  /** Default 2 dB/s. */
  riseDbPerSecond?: number;
  /** Default 1.5 (about +1.8 dB). */
  biasCompensation?: number;
}

export class NoiseFloorTracker {
  /** The noise power estimate per bin (bias-compensated); 0 before the first update. */
  readonly floor: Float64Array;
  private readonly minimum: Float64Array;
  private readonly risePerBlock: number;
  private readonly biasCompensation: number;
  private started = false;

  constructor(options: NoiseFloorTrackerOptions) {
    if (!Number.isInteger(options.binCount) || options.binCount < 1) {
      throw new RangeError(`noise floor: binCount must be a positive integer, got ${options.binCount}`);
    }
    this.floor = new Float64Array(options.binCount);
    this.minimum = new Float64Array(options.binCount);
    this.risePerBlock = 10 ** (((options.riseDbPerSecond ?? 2) * options.blockSeconds) / 10);
    this.biasCompensation = options.biasCompensation ?? 1.5;
  }

  update(smoothedPower: Float64Array): void {
    const { minimum, floor } = this;
    if (smoothedPower.length !== minimum.length) {
      throw new RangeError(`noise floor: expected ${minimum.length} bins, got ${smoothedPower.length}`);
    }
    for (let k = 0; k < minimum.length; k++) {
      const power = smoothedPower[k] as number;
      const risen = (minimum[k] as number) * this.risePerBlock;
      // A floor of digital silence could never rise multiplicatively: restart it from the data.
      const next = this.started && (minimum[k] as number) > DIGITAL_SILENCE_POWER ? Math.min(power, risen) : power;
      minimum[k] = next;
      floor[k] = next * this.biasCompensation;
    }
    this.started = true;
  }

  reset(): void {
    this.floor.fill(0);
    this.minimum.fill(0);
    this.started = false;
  }
}
