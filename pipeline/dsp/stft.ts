/**
 * Streaming short-time Fourier transform with a sqrt-Hann window at 50% overlap, the
 * analysis/synthesis pair GTCRN was trained with. sqrt-Hann on both sides multiplies to
 * a periodic Hann, whose copies at hop = window/2 sum to exactly 1, so analysis followed
 * by synthesis with an unmodified spectrum reconstructs the input delayed by one hop.
 * All buffers are allocated once; the FFT comes from fft.js.
 */
import FFT from 'fft.js';

export function sqrtHannWindow(lengthSamples: number): Float64Array {
  const window = new Float64Array(lengthSamples);
  for (let i = 0; i < lengthSamples; i++) {
    // Periodic Hann (torch.hann_window's default), then the square root.
    window[i] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / lengthSamples));
  }
  return window;
}

export class SqrtHannStft {
  readonly hopSamples: number;
  readonly binCount: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  /** The last `windowSamples` input samples, oldest first. */
  private readonly analysisFrame: Float64Array;
  private readonly windowed: Float64Array;
  private readonly fullSpectrum: Float64Array;
  private readonly timeFrame: Float64Array;
  /** Overlap-add accumulator of `windowSamples`; its first hop is complete after each frame. */
  private readonly overlap: Float64Array;

  constructor(readonly windowSamples: number) {
    if (windowSamples < 4 || (windowSamples & (windowSamples - 1)) !== 0) {
      throw new RangeError(`STFT window must be a power of two ≥ 4, got ${windowSamples}`);
    }
    this.hopSamples = windowSamples / 2;
    this.binCount = windowSamples / 2 + 1;
    this.fft = new FFT(windowSamples);
    this.window = sqrtHannWindow(windowSamples);
    this.analysisFrame = new Float64Array(windowSamples);
    this.windowed = new Float64Array(windowSamples);
    this.fullSpectrum = new Float64Array(windowSamples * 2);
    this.timeFrame = new Float64Array(windowSamples * 2);
    this.overlap = new Float64Array(windowSamples);
  }

  /**
   * Take the next hop of input and write the spectrum of the newest window into
   * `spectrumOut` as `binCount` interleaved (re, im) pairs.
   */
  analyze(hop: Float32Array, spectrumOut: Float32Array): void {
    const { hopSamples, windowSamples } = this;
    if (hop.length !== hopSamples) throw new RangeError(`STFT: expected ${hopSamples} samples, got ${hop.length}`);
    this.analysisFrame.copyWithin(0, hopSamples);
    for (let i = 0; i < hopSamples; i++) this.analysisFrame[windowSamples - hopSamples + i] = hop[i] as number;
    for (let i = 0; i < windowSamples; i++) {
      this.windowed[i] = (this.analysisFrame[i] as number) * (this.window[i] as number);
    }
    this.fft.realTransform(this.fullSpectrum, this.windowed);
    for (let i = 0; i < this.binCount * 2; i++) spectrumOut[i] = this.fullSpectrum[i] as number;
  }

  /**
   * Inverse-transform one spectrum (`binCount` interleaved pairs), window it, overlap-add,
   * and write the hop that is now complete into `hopOut`. Output lags input by one hop.
   */
  synthesize(spectrum: Float32Array, hopOut: Float32Array): void {
    const { hopSamples, windowSamples, binCount } = this;
    const full = this.fullSpectrum;
    for (let i = 0; i < binCount * 2; i++) full[i] = spectrum[i] as number;
    // Hermitian symmetry: bin k and bin N-k are conjugates; DC and Nyquist are real.
    for (let k = 1; k < binCount - 1; k++) {
      full[2 * (windowSamples - k)] = full[2 * k] as number;
      full[2 * (windowSamples - k) + 1] = -(full[2 * k + 1] as number);
    }
    full[1] = 0;
    full[2 * (binCount - 1) + 1] = 0;
    this.fft.inverseTransform(this.timeFrame, full);
    for (let i = 0; i < windowSamples; i++) {
      this.overlap[i] = (this.overlap[i] as number) + (this.timeFrame[2 * i] as number) * (this.window[i] as number);
    }
    for (let i = 0; i < hopSamples; i++) hopOut[i] = this.overlap[i] as number;
    this.overlap.copyWithin(0, hopSamples);
    this.overlap.fill(0, windowSamples - hopSamples);
  }

  reset(): void {
    this.analysisFrame.fill(0);
    this.overlap.fill(0);
  }
}
