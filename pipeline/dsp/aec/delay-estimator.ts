/**
 * Bulk echo delay by generalised cross-correlation with a regularised phase transform
 * (GCC-PHAT, Knapp & Carter 1976). Every `hopSamples` the newest W microphone samples are
 * correlated with the reference over lags 0..maxDelaySamples in one FFT of size
 * M ≥ W + maxDelay: the reference segment is the last M samples, the microphone segment
 * sits at the end of an otherwise zero frame, so lags 0..maxDelay see no wrap-around.
 * The cross-spectrum is averaged over hops (recursively, faster at the start), whitened
 * by |G(k)| + ε (ε a fraction of the mean magnitude, so bins the reference never excites
 * cannot add noise), and transformed back; the peak of |r(τ)| is the direct sound.
 * A peak becomes the estimate when it stands `minPeakToNoise` over the rest of the
 * correlation and lands on the same lag (±2 samples) twice in a row, the way WebRTC
 * AEC3's delay estimator waits for a consistent matched-filter lag before it moves.
 * Hops whose reference is silent are skipped. All buffers are allocated up front.
 */
import FFT from 'fft.js';

export interface DelayEstimatorOptions {
  /** Largest delay searched. */
  maxDelaySamples: number;
  /** Samples between estimates (default 1024, 64 ms at 16 kHz). */
  hopSamples?: number;
  /** Smallest averaging weight of a new hop (default 0.15: a time constant of ~7 hops). */
  minUpdateWeight?: number;
  /** How far the peak must stand over the RMS of the other lags (default 6). */
  minPeakToNoise?: number;
  /** Reference power (mean square) below which a hop is not used (default 1e-7, −70 dBFS). */
  silenceMeanSquare?: number;
}

/** Smallest number of microphone samples correlated per hop. */
const MIN_WINDOW_SAMPLES = 2048;
/** Lags within this many samples of the peak are left out of the noise figure. */
const PEAK_HALF_WIDTH_SAMPLES = 32;
const CONSISTENT_LAG_SAMPLES = 2;
/** ε of the phase transform, relative to the mean cross-spectrum magnitude. */
const PHAT_REGULARISATION = 0.1;

export class DelayEstimator {
  readonly maxDelaySamples: number;
  readonly hopSamples: number;
  readonly fftSize: number;
  readonly windowSamples: number;
  private readonly minUpdateWeight: number;
  private readonly minPeakToNoise: number;
  private readonly silenceMeanSquare: number;
  private readonly fft: FFT;
  /** Last fftSize reference and microphone samples, circular. */
  private readonly referenceHistory: Float64Array;
  private readonly micHistory: Float64Array;
  private writeIndex = 0;
  private samplesSeen = 0;
  private samplesSinceHop = 0;
  private hopsAveraged = 0;
  private readonly frame: Float64Array;
  private readonly referenceSpectrum: Float64Array;
  private readonly micSpectrum: Float64Array;
  private readonly crossSpectrum: Float64Array;
  private readonly whitened: Float64Array;
  private readonly correlation: Float64Array;
  private candidateLag = -1;
  private estimate: number | undefined;
  private lastPeakToNoise = 0;

  constructor(options: DelayEstimatorOptions) {
    const { maxDelaySamples } = options;
    if (!Number.isInteger(maxDelaySamples) || maxDelaySamples < 0) {
      throw new RangeError(`delay estimator: maxDelaySamples must be an integer >= 0, got ${maxDelaySamples}`);
    }
    this.maxDelaySamples = maxDelaySamples;
    this.hopSamples = options.hopSamples ?? 1024;
    if (!Number.isInteger(this.hopSamples) || this.hopSamples < 1) {
      throw new RangeError(`delay estimator: hopSamples must be a positive integer, got ${this.hopSamples}`);
    }
    this.minUpdateWeight = options.minUpdateWeight ?? 0.15;
    this.minPeakToNoise = options.minPeakToNoise ?? 6;
    this.silenceMeanSquare = options.silenceMeanSquare ?? 1e-7;
    let fftSize = 2;
    while (fftSize < maxDelaySamples + MIN_WINDOW_SAMPLES) fftSize *= 2;
    this.fftSize = fftSize;
    this.windowSamples = fftSize - maxDelaySamples;
    this.fft = new FFT(fftSize);
    this.referenceHistory = new Float64Array(fftSize);
    this.micHistory = new Float64Array(fftSize);
    this.frame = new Float64Array(fftSize);
    this.referenceSpectrum = new Float64Array(2 * fftSize);
    this.micSpectrum = new Float64Array(2 * fftSize);
    this.crossSpectrum = new Float64Array(fftSize + 2);
    this.whitened = new Float64Array(2 * fftSize);
    this.correlation = new Float64Array(2 * fftSize);
  }

  /** The confirmed delay of the echo behind the reference, or undefined before there is one. */
  get delaySamples(): number | undefined {
    return this.estimate;
  }

  /** Peak-to-noise ratio of the latest correlation (linear). */
  get peakToNoise(): number {
    return this.lastPeakToNoise;
  }

  /**
   * Append time-aligned reference and microphone samples (equal lengths). Returns true
   * when this call ran an estimate (every `hopSamples`).
   */
  push(reference: ArrayLike<number>, mic: ArrayLike<number>): boolean {
    if (reference.length !== mic.length) {
      throw new RangeError(`delay estimator: reference has ${reference.length} samples, mic ${mic.length}`);
    }
    const mask = this.fftSize - 1;
    let ran = false;
    for (let i = 0; i < reference.length; i++) {
      this.referenceHistory[this.writeIndex] = reference[i] as number;
      this.micHistory[this.writeIndex] = mic[i] as number;
      this.writeIndex = (this.writeIndex + 1) & mask;
      this.samplesSeen++;
      // Before a full history the missing past is zeros, which is what the speaker played.
      if (++this.samplesSinceHop >= this.hopSamples && this.samplesSeen >= MIN_WINDOW_SAMPLES) {
        this.samplesSinceHop = 0;
        this.update();
        ran = true;
      }
    }
    return ran;
  }

  reset(): void {
    this.referenceHistory.fill(0);
    this.micHistory.fill(0);
    this.crossSpectrum.fill(0);
    this.writeIndex = 0;
    this.samplesSeen = 0;
    this.samplesSinceHop = 0;
    this.hopsAveraged = 0;
    this.candidateLag = -1;
    this.estimate = undefined;
    this.lastPeakToNoise = 0;
  }

  private update(): void {
    const { fftSize, windowSamples, frame, maxDelaySamples } = this;
    const mask = fftSize - 1;
    // Oldest sample first: history[writeIndex] is the oldest of the last fftSize.
    let referenceEnergy = 0;
    for (let i = 0; i < fftSize; i++) {
      const value = this.referenceHistory[(this.writeIndex + i) & mask] as number;
      frame[i] = value;
      referenceEnergy += value * value;
    }
    if (referenceEnergy / fftSize < this.silenceMeanSquare) return;
    this.fft.realTransform(this.referenceSpectrum, frame);
    frame.fill(0, 0, fftSize - windowSamples);
    for (let i = fftSize - windowSamples; i < fftSize; i++)
      frame[i] = this.micHistory[(this.writeIndex + i) & mask] as number;
    this.fft.realTransform(this.micSpectrum, frame);

    this.hopsAveraged++;
    const weight = Math.max(this.minUpdateWeight, 1 / this.hopsAveraged);
    const binCount = fftSize / 2 + 1;
    let magnitudeSum = 0;
    for (let k = 0; k < binCount; k++) {
      const mRe = this.micSpectrum[2 * k] as number;
      const mIm = this.micSpectrum[2 * k + 1] as number;
      const rRe = this.referenceSpectrum[2 * k] as number;
      const rIm = this.referenceSpectrum[2 * k + 1] as number;
      // M·conj(R): its inverse is r(τ) = Σ mic[n]·ref[n − τ].
      const re = (1 - weight) * (this.crossSpectrum[2 * k] as number) + weight * (mRe * rRe + mIm * rIm);
      const im = (1 - weight) * (this.crossSpectrum[2 * k + 1] as number) + weight * (mIm * rRe - mRe * rIm);
      this.crossSpectrum[2 * k] = re;
      this.crossSpectrum[2 * k + 1] = im;
      magnitudeSum += Math.sqrt(re * re + im * im);
    }
    const epsilon = (PHAT_REGULARISATION * magnitudeSum) / binCount + 1e-30;
    const whitened = this.whitened;
    for (let k = 0; k < binCount; k++) {
      const re = this.crossSpectrum[2 * k] as number;
      const im = this.crossSpectrum[2 * k + 1] as number;
      const scale = 1 / (Math.sqrt(re * re + im * im) + epsilon);
      whitened[2 * k] = re * scale;
      whitened[2 * k + 1] = im * scale;
    }
    for (let k = 1; k < binCount - 1; k++) {
      whitened[2 * (fftSize - k)] = whitened[2 * k] as number;
      whitened[2 * (fftSize - k) + 1] = -(whitened[2 * k + 1] as number);
    }
    whitened[1] = 0;
    whitened[2 * (binCount - 1) + 1] = 0;
    this.fft.inverseTransform(this.correlation, whitened);

    let peakLag = 0;
    let peak = -1;
    let total = 0;
    for (let lag = 0; lag <= maxDelaySamples; lag++) {
      const value = Math.abs(this.correlation[2 * lag] as number);
      total += value * value;
      if (value > peak) {
        peak = value;
        peakLag = lag;
      }
    }
    let near = 0;
    let nearCount = 0;
    const from = Math.max(0, peakLag - PEAK_HALF_WIDTH_SAMPLES);
    const to = Math.min(maxDelaySamples, peakLag + PEAK_HALF_WIDTH_SAMPLES);
    for (let lag = from; lag <= to; lag++) {
      near += (this.correlation[2 * lag] as number) ** 2;
      nearCount++;
    }
    const otherCount = maxDelaySamples + 1 - nearCount;
    const noiseRms = otherCount > 0 ? Math.sqrt(Math.max(total - near, 0) / otherCount) : 0;
    this.lastPeakToNoise = noiseRms > 0 ? peak / noiseRms : Number.POSITIVE_INFINITY;
    if (this.lastPeakToNoise < this.minPeakToNoise) {
      this.candidateLag = -1;
      return;
    }
    if (this.candidateLag >= 0 && Math.abs(peakLag - this.candidateLag) <= CONSISTENT_LAG_SAMPLES) {
      this.estimate = peakLag;
    }
    this.candidateLag = peakLag;
  }
}
