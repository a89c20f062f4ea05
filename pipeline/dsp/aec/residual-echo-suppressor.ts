/**
 * Residual echo suppressor (post-filter) after the linear canceller. The residual echo
 * power per bin is predicted, not measured, so near-end speech is never mistaken for it:
 *
 *   R(k) = max( Φ(k),  η₀·|Ŷ(k)|² )
 *
 * Φ(k) is the adaptive filter's own expectation, ½ Σ_p |X_p(k)|² Ψ_p(k) from its Kalman
 * state variances (the FDKF post-filter of Enzner & Vary 2006): large in bins the filter
 * has not learned yet or while it is still converging, small once it has. η₀·|Ŷ|² (η₀ =
 * `echoLeakDb`, −30 dB) is the share of the echo estimate assumed to remain whatever the
 * filter's confidence — what a linear filter cannot model (speaker distortion), as Speex's
 * preprocessor and WebRTC AEC3 keep a floor under their residual estimates. The gain is a
 * power subtraction, G = max(floor, 1 − α·R/|E|²), with over-subtraction α = 2 (1 during
 * double talk, to keep the near end whole); R is smoothed over neighbouring bins against
 * musical noise, and G falls at once but recovers over a few blocks. `floorDb` bounds how
 * much is ever removed. (A residual ratio learned from the error while the far end talks
 * alone was tried first: missed double talk taught it the wearer's voice, costing about
 * 15 dB of near-end SI-SDR, so the estimate is kept free of anything the error teaches.)
 */

export interface ResidualEchoSuppressorOptions {
  binCount: number;
  blockSeconds: number;
  /** Lowest gain (default −30 dB). */
  floorDb?: number;
  /** Share of the echo estimate's power always assumed to remain (default −30 dB). */
  echoLeakDb?: number;
}

const OVER_SUBTRACTION = 2;
const OVER_SUBTRACTION_DOUBLE_TALK = 1;
/** Time constant of the power spectra the gain is computed from. */
const POWER_SECONDS = 0.012;
/** Share of the distance to a higher gain recovered per block. */
const GAIN_RELEASE = 0.5;

export class ResidualEchoSuppressor {
  readonly binCount: number;
  readonly floorGain: number;
  /** The gain applied to each bin in the latest block. */
  readonly gains: Float64Array;
  private readonly echoLeak: number;
  private readonly errorPower: Float64Array;
  private readonly echoPower: Float64Array;
  private readonly residual: Float64Array;
  private readonly powerWeight: number;
  private residualPowerValue = 0;
  private remainingPowerValue = 0;

  constructor(options: ResidualEchoSuppressorOptions) {
    const { binCount, blockSeconds } = options;
    if (!Number.isInteger(binCount) || binCount < 3) {
      throw new RangeError(`residual echo suppressor: binCount must be an integer >= 3, got ${binCount}`);
    }
    if (!(blockSeconds > 0))
      throw new RangeError(`residual echo suppressor: blockSeconds must be > 0, got ${blockSeconds}`);
    const floorDb = options.floorDb ?? -30;
    if (!(floorDb <= 0)) throw new RangeError(`residual echo suppressor: floorDb must be <= 0, got ${floorDb}`);
    this.binCount = binCount;
    this.floorGain = 10 ** (floorDb / 20);
    this.echoLeak = 10 ** ((options.echoLeakDb ?? -30) / 10);
    this.gains = new Float64Array(binCount).fill(1);
    this.errorPower = new Float64Array(binCount);
    this.echoPower = new Float64Array(binCount);
    this.residual = new Float64Array(binCount);
    this.powerWeight = 1 - Math.exp(-blockSeconds / POWER_SECONDS);
  }

  /** Σ_k R(k) over the full (two-sided) spectrum: the residual echo predicted before the gain. */
  get residualEchoPower(): number {
    return this.residualPowerValue;
  }

  /** Σ_k G(k)²·R(k), two-sided: the residual echo expected to remain after the gain. */
  get remainingEchoPower(): number {
    return this.remainingPowerValue;
  }

  /**
   * One block. `error` (scaled in place) and `echo` are spectra of the same window,
   * `binCount` interleaved (re, im) pairs; `expectedResidual[k]` is Φ(k) in the same units
   * as |E(k)|².
   */
  process(error: Float32Array, echo: Float32Array, expectedResidual: Float64Array, doubleTalk: boolean): void {
    const { binCount, errorPower, echoPower, residual, gains } = this;
    if (error.length !== 2 * binCount || echo.length !== 2 * binCount || expectedResidual.length !== binCount) {
      throw new RangeError(
        `residual echo suppressor: expected spectra of ${2 * binCount} values and ${binCount} residual bins, got ${error.length}, ${echo.length} and ${expectedResidual.length}`,
      );
    }
    const w = this.powerWeight;
    for (let k = 0; k < binCount; k++) {
      const eRe = error[2 * k] as number;
      const eIm = error[2 * k + 1] as number;
      const yRe = echo[2 * k] as number;
      const yIm = echo[2 * k + 1] as number;
      errorPower[k] = (1 - w) * (errorPower[k] as number) + w * (eRe * eRe + eIm * eIm);
      echoPower[k] = (1 - w) * (echoPower[k] as number) + w * (yRe * yRe + yIm * yIm);
      residual[k] = Math.max(expectedResidual[k] as number, this.echoLeak * (echoPower[k] as number));
    }
    const overSubtraction = doubleTalk ? OVER_SUBTRACTION_DOUBLE_TALK : OVER_SUBTRACTION;
    let residualTotal = 0;
    let remainingTotal = 0;
    for (let k = 0; k < binCount; k++) {
      const below = residual[k > 0 ? k - 1 : k] as number;
      const above = residual[k < binCount - 1 ? k + 1 : k] as number;
      const predicted = 0.25 * below + 0.5 * (residual[k] as number) + 0.25 * above;
      const power = errorPower[k] as number;
      const target = power > 0 ? Math.max(this.floorGain, 1 - (overSubtraction * predicted) / power) : 1;
      const previous = gains[k] as number;
      const gain = target < previous ? target : previous + GAIN_RELEASE * (target - previous);
      gains[k] = gain;
      const sides = k === 0 || k === binCount - 1 ? 1 : 2;
      // Never more residual than there is error to hold it.
      const held = Math.min(predicted, power);
      residualTotal += sides * held;
      remainingTotal += sides * gain * gain * held;
      error[2 * k] = (error[2 * k] as number) * gain;
      error[2 * k + 1] = (error[2 * k + 1] as number) * gain;
    }
    this.residualPowerValue = residualTotal;
    this.remainingPowerValue = remainingTotal;
  }

  reset(): void {
    this.gains.fill(1);
    this.errorPower.fill(0);
    this.echoPower.fill(0);
    this.residual.fill(0);
    this.residualPowerValue = 0;
    this.remainingPowerValue = 0;
  }
}
