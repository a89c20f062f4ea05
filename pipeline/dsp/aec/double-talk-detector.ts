/**
 * Double-talk detector: is the wearer talking while the far end (the device's English)
 * plays? Two tests on the foreground filter's spectra, both must agree:
 *
 * 1. Energy (Geigel-like, normalised by the echo estimate as Benesty et al. 2000 normalise
 *    their cross-correlation detector): the error holds more power above its noise floor
 *    than `excessThresholdDb` relative to the echo estimate. A converged filter leaves far
 *    less than that, so the excess is near-end speech, or a path the filter no longer fits.
 * 2. Coherence (Gänsler et al. 1996, with the echo estimate ŷ standing in for the filtered
 *    far end): the share of the microphone's power that ŷ explains linearly,
 *    C = Σ_k |S_dŷ(k)|²/S_ŷŷ(k) / Σ_k S_dd(k). Echo alone, even through a changed gain or a
 *    slightly changed response, keeps C near 1; added near-end speech pulls it down.
 *
 * 3. Leakage (Valin 2007, `LeakageEstimator`): when the error's power rises and falls with
 *    the echo estimate's (η high), the excess is echo the filter no longer fits — an echo
 *    path change — however incoherent it looks (a moved delay defeats the coherence test).
 *    Near-end speech fluctuates on its own and leaves η low.
 *
 * So an echo path change is not called double talk (the filter keeps adapting at full
 * speed), while near-end speech is. Only meaningful once the filter has
 * converged and while the far end is active; a short hangover bridges syllable gaps.
 * The microphone spectrum is E + Ŷ (the STFT is linear), so no extra transform is needed.
 */
import { NoiseFloorTracker } from './noise-floor-tracker.js';

export interface DoubleTalkDetectorOptions {
  binCount: number;
  blockSeconds: number;
  /** Error excess over the echo estimate that may be near-end speech (default −18 dB). */
  excessThresholdDb?: number;
  /** Mic-explained-by-echo share below which the excess is near-end (default 0.95). */
  coherenceThreshold?: number;
  /** Echo leakage η at or above which the excess is taken for a path change (default 0.1). */
  pathChangeLeakage?: number;
  /** Default 0.05 s. */
  hangoverSeconds?: number;
  /** Time constant of the spectral averages (default 0.03 s). */
  smoothingSeconds?: number;
}

/** Bins below this are left out (DC and rumble carry no decision). */
const FIRST_BIN = 2;

export class DoubleTalkDetector {
  private readonly binCount: number;
  private readonly excessThreshold: number;
  private readonly coherenceThreshold: number;
  private readonly pathChangeLeakage: number;
  private readonly hangoverBlocks: number;
  private readonly smoothing: number;
  private readonly errorPower: Float64Array;
  private readonly echoPower: Float64Array;
  private readonly micPower: Float64Array;
  private readonly crossRe: Float64Array;
  private readonly crossIm: Float64Array;
  private readonly noise: NoiseFloorTracker;
  private blocksSinceDetection = Number.POSITIVE_INFINITY;
  private excessValue = 0;
  private coherenceValue = 1;
  private flagged = false;

  constructor(options: DoubleTalkDetectorOptions) {
    const { binCount, blockSeconds } = options;
    if (!Number.isInteger(binCount) || binCount < FIRST_BIN + 1) {
      throw new RangeError(`double-talk detector: binCount must be an integer > ${FIRST_BIN}, got ${binCount}`);
    }
    if (!(blockSeconds > 0))
      throw new RangeError(`double-talk detector: blockSeconds must be > 0, got ${blockSeconds}`);
    this.binCount = binCount;
    this.excessThreshold = 10 ** ((options.excessThresholdDb ?? -18) / 10);
    this.coherenceThreshold = options.coherenceThreshold ?? 0.95;
    this.pathChangeLeakage = options.pathChangeLeakage ?? 0.1;
    this.hangoverBlocks = Math.round((options.hangoverSeconds ?? 0.05) / blockSeconds);
    this.smoothing = Math.exp(-blockSeconds / (options.smoothingSeconds ?? 0.03));
    this.errorPower = new Float64Array(binCount);
    this.echoPower = new Float64Array(binCount);
    this.micPower = new Float64Array(binCount);
    this.crossRe = new Float64Array(binCount);
    this.crossIm = new Float64Array(binCount);
    // The minimum of a 30 ms average sits well below the mean noise power: compensate ~5 dB.
    this.noise = new NoiseFloorTracker({ binCount, blockSeconds, biasCompensation: 3 });
  }

  get doubleTalk(): boolean {
    return this.flagged;
  }

  /** Latest error power above the noise floor relative to the echo estimate's (linear). */
  get excess(): number {
    return this.excessValue;
  }

  /** Latest share of the microphone power explained by the echo estimate (0..1). */
  get coherence(): number {
    return this.coherenceValue;
  }

  /**
   * One block. `error` and `echo` are spectra of the same window (`binCount` interleaved
   * re/im pairs) of the foreground error and echo estimate; `echoLeakage` is η.
   */
  update(
    error: Float32Array,
    echo: Float32Array,
    farEndActive: boolean,
    converged: boolean,
    echoLeakage: number,
  ): boolean {
    const { binCount, smoothing: a } = this;
    if (error.length !== 2 * binCount || echo.length !== 2 * binCount) {
      throw new RangeError(
        `double-talk detector: expected spectra of ${2 * binCount} values, got ${error.length} and ${echo.length}`,
      );
    }
    for (let k = 0; k < binCount; k++) {
      const eRe = error[2 * k] as number;
      const eIm = error[2 * k + 1] as number;
      const yRe = echo[2 * k] as number;
      const yIm = echo[2 * k + 1] as number;
      const dRe = eRe + yRe;
      const dIm = eIm + yIm;
      this.errorPower[k] = a * (this.errorPower[k] as number) + (1 - a) * (eRe * eRe + eIm * eIm);
      this.echoPower[k] = a * (this.echoPower[k] as number) + (1 - a) * (yRe * yRe + yIm * yIm);
      this.micPower[k] = a * (this.micPower[k] as number) + (1 - a) * (dRe * dRe + dIm * dIm);
      // S_dŷ = E[D·conj(Ŷ)]
      this.crossRe[k] = a * (this.crossRe[k] as number) + (1 - a) * (dRe * yRe + dIm * yIm);
      this.crossIm[k] = a * (this.crossIm[k] as number) + (1 - a) * (dIm * yRe - dRe * yIm);
    }
    this.noise.update(this.errorPower);
    const floor = this.noise.floor;
    let excessPower = 0;
    let echoTotal = 0;
    let explained = 0;
    let micTotal = 0;
    for (let k = FIRST_BIN; k < binCount; k++) {
      const echoPower = this.echoPower[k] as number;
      // Bins where no echo is expected above the noise say nothing about double talk.
      if (echoPower > (floor[k] as number)) {
        excessPower += Math.max(0, (this.errorPower[k] as number) - (floor[k] as number));
      }
      echoTotal += echoPower;
      micTotal += this.micPower[k] as number;
      if (echoPower > 0) explained += ((this.crossRe[k] as number) ** 2 + (this.crossIm[k] as number) ** 2) / echoPower;
    }
    this.excessValue = echoTotal > 0 ? excessPower / echoTotal : 0;
    this.coherenceValue = micTotal > 0 ? Math.min(1, explained / micTotal) : 1;
    const detected =
      farEndActive &&
      converged &&
      this.excessValue > this.excessThreshold &&
      this.coherenceValue < this.coherenceThreshold &&
      echoLeakage < this.pathChangeLeakage;
    this.blocksSinceDetection = detected ? 0 : this.blocksSinceDetection + 1;
    this.flagged = farEndActive && this.blocksSinceDetection <= this.hangoverBlocks;
    return this.flagged;
  }

  reset(): void {
    this.errorPower.fill(0);
    this.echoPower.fill(0);
    this.micPower.fill(0);
    this.crossRe.fill(0);
    this.crossIm.fill(0);
    this.noise.reset();
    this.blocksSinceDetection = Number.POSITIVE_INFINITY;
    this.excessValue = 0;
    this.coherenceValue = 1;
    this.flagged = false;
  }
}
