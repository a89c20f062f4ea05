/**
 * Echo leakage η: the fraction of the echo estimate's power that is still left in the
 * error as residual echo, estimated as Valin (2007, "On adjusting the learning rate in
 * frequency domain echo cancellation with double-talk") does in Speex MDF — by correlating
 * the fluctuations of the error's and the echo estimate's power spectra over time. Near-end
 * speech fluctuates independently of the far end, so it barely moves η; a residual echo
 * (an unconverged or changed path) rises and falls with the echo estimate, so it does.
 * Speex turns η into the step size; here it tells an echo path change (η high) from double
 * talk (η low) for the detector, and drives the Kalman filter's process noise, so a
 * changed path reopens the filter's variances while near-end speech does not.
 */

export interface LeakageEstimatorOptions {
  binCount: number;
  /** Block duration: sets the averaging rates. */
  blockSeconds: number;
}

/** Leakage never reported below this (a converged filter still leaves some echo). */
const MIN_LEAKAGE = 0.005;
/** Time constant of the per-bin power means. */
const SPECTRUM_MEAN_SECONDS = 0.25;
/** Correlation time constant when echo estimate and error are equally strong, longer as the error dominates... */
const CORRELATION_FAST_SECONDS = 0.125;
/** ...and never shorter than this. */
const CORRELATION_MIN_SECONDS = 0.5;

export class LeakageEstimator {
  private readonly errorAverage: Float64Array;
  private readonly echoAverage: Float64Array;
  /** Weight of a new block in the per-bin power means the fluctuations are taken around. */
  private readonly spectrumRate: number;
  private readonly correlationRateMax: number;
  private readonly correlationRateFull: number;
  private errorEchoCorrelation = 0;
  private echoVariance = 0;
  private leakageValue = 1;

  constructor(readonly options: LeakageEstimatorOptions) {
    if (!Number.isInteger(options.binCount) || options.binCount < 1) {
      throw new RangeError(`leakage estimator: binCount must be a positive integer, got ${options.binCount}`);
    }
    this.errorAverage = new Float64Array(options.binCount);
    this.echoAverage = new Float64Array(options.binCount);
    this.spectrumRate = Math.min(0.5, options.blockSeconds / SPECTRUM_MEAN_SECONDS);
    this.correlationRateFull = Math.min(0.5, options.blockSeconds / CORRELATION_FAST_SECONDS);
    this.correlationRateMax = Math.min(0.5, options.blockSeconds / CORRELATION_MIN_SECONDS);
  }

  /** The current leakage η in [MIN_LEAKAGE, 1]. */
  get leakage(): number {
    return this.leakageValue;
  }

  /**
   * One block: `errorPower[k]` = |E(k)|², `echoPower[k]` = |Y(k)|². Call only when the
   * far end is active (otherwise nothing correlates).
   */
  update(errorPower: Float64Array, echoPower: Float64Array): void {
    const { binCount } = this.options;
    if (errorPower.length !== binCount || echoPower.length !== binCount) {
      throw new RangeError(
        `leakage estimator: expected ${binCount} bins, got ${errorPower.length} and ${echoPower.length}`,
      );
    }
    const a = this.spectrumRate;
    let correlation = 0;
    let variance = 0;
    let errorTotal = 0;
    let echoTotal = 0;
    for (let k = 0; k < binCount; k++) {
      const e = errorPower[k] as number;
      const y = echoPower[k] as number;
      errorTotal += e;
      echoTotal += y;
      const eAverage = (1 - a) * (this.errorAverage[k] as number) + a * e;
      const yAverage = (1 - a) * (this.echoAverage[k] as number) + a * y;
      this.errorAverage[k] = eAverage;
      this.echoAverage[k] = yAverage;
      const yDeviation = y - yAverage;
      correlation += (e - eAverage) * yDeviation;
      variance += yDeviation * yDeviation;
    }
    if (!(errorTotal > 0) || !(echoTotal > 0)) return;
    // Learn fast while the echo estimate is strong against the error, slowly once the
    // error is dominated by something else (double talk): Speex's α = min(β0·Syy/See, βmax).
    const rate = Math.min((this.correlationRateFull * echoTotal) / errorTotal, this.correlationRateMax);
    this.errorEchoCorrelation = (1 - rate) * this.errorEchoCorrelation + rate * correlation;
    this.echoVariance = (1 - rate) * this.echoVariance + rate * variance;
    if (this.echoVariance > 0) {
      this.leakageValue = Math.min(1, Math.max(MIN_LEAKAGE, this.errorEchoCorrelation / this.echoVariance));
    }
  }

  reset(): void {
    this.errorAverage.fill(0);
    this.echoAverage.fill(0);
    this.errorEchoCorrelation = 0;
    this.echoVariance = 0;
    this.leakageValue = 1;
  }
}
