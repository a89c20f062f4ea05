/**
 * Impulse responses from a recording of a known excitation: spectral division for the
 * exponential sweep, circular cross-correlation for the maximum-length sequence. Both
 * return the response over a span of lags that starts a little before lag 0 (so a
 * recording that runs early shows up as a negative delay instead of wrapping round),
 * together with the lags that hold only measurement noise, for the analysis that follows.
 */
import FFT from 'fft.js';

export interface LagSpan {
  /** First lag, in samples (may be negative). */
  start: number;
  /** One past the last lag, in samples. */
  end: number;
}

export interface ImpulseResponseEstimate {
  /** h at lags [-zeroLagIndex, taps.length - zeroLagIndex). */
  taps: Float64Array;
  /** Index in `taps` of lag 0: the first sample played lines up with the first recorded. */
  zeroLagIndex: number;
  sampleRateHz: number;
  /** Lags where the direct sound is looked for. */
  searchLags: LagSpan;
  /** Lags past any plausible response: what is there is measurement noise. */
  noiseLags: LagSpan;
}

export interface SweepDeconvolutionOptions {
  /** The sweep's band; outside it the response is not estimated (there is no excitation). */
  startHz: number;
  endHz: number;
  sampleRateHz: number;
  /** Lags before 0 kept in the result. */
  leadSamples: number;
  /** Latest lag the direct sound is looked for at. */
  maxSearchLagSamples: number;
  /** Lags [start, end) used as the noise reference. */
  noiseLags: LagSpan;
}

function nextPowerOfTwo(value: number): number {
  let size = 2;
  while (size < value) size *= 2;
  return size;
}

function spectrumOf(fft: FFT, signal: ArrayLike<number>, size: number): number[] {
  const padded = new Float64Array(size);
  for (let i = 0; i < signal.length; i++) padded[i] = signal[i] as number;
  const spectrum = fft.createComplexArray() as number[];
  fft.realTransform(spectrum, padded);
  fft.completeSpectrum(spectrum);
  return spectrum;
}

/**
 * Linear deconvolution of a swept-sine recording: H = Y·X* / (|X|² + ε), zero-padded so
 * the result does not wrap, with ε a tiny floor (−80 dB of the sweep's strongest bin)
 * that only matters where the sweep has no energy. Inside the sweep band the division
 * is exact, which keeps the energy gain unbiased even though an exponential sweep's
 * spectrum falls by 3 dB per octave (a fixed Tikhonov ε would bias the top octave;
 * Kirkeby & Nelson 1999 frequency-dependent regularisation in its simplest form: none
 * in band, total out of band, with a raised-cosine edge so the response does not ring).
 * Distortion products of the speaker land at negative lags (Farina 2000), outside the
 * span searched for the direct sound.
 */
export function deconvolveSweep(
  recorded: Float32Array,
  sweep: Float32Array,
  options: SweepDeconvolutionOptions,
): ImpulseResponseEstimate {
  const size = nextPowerOfTwo(recorded.length + sweep.length);
  const fft = new FFT(size);
  const y = spectrumOf(fft, recorded, size);
  const x = spectrumOf(fft, sweep, size);
  let maxPower = 0;
  for (let k = 0; k < size; k++)
    maxPower = Math.max(maxPower, (x[2 * k] as number) ** 2 + (x[2 * k + 1] as number) ** 2);
  const floor = maxPower * 1e-8;
  const product = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const bin = Math.min(k, size - k);
    const weight = bandWeight(
      (bin * options.sampleRateHz) / size,
      options.startHz,
      options.endHz,
      options.sampleRateHz,
    );
    if (weight === 0) continue;
    const xr = x[2 * k] as number;
    const xi = x[2 * k + 1] as number;
    const yr = y[2 * k] as number;
    const yi = y[2 * k + 1] as number;
    const scale = weight / (xr * xr + xi * xi + floor);
    product[2 * k] = (yr * xr + yi * xi) * scale;
    product[2 * k + 1] = (yi * xr - yr * xi) * scale;
  }
  const impulse = fft.createComplexArray() as number[];
  fft.inverseTransform(impulse, product);
  const lead = options.leadSamples;
  const length = Math.min(size, recorded.length + lead);
  const taps = new Float64Array(length);
  for (let i = 0; i < length; i++) taps[i] = impulse[2 * ((i - lead + size) % size)] as number;
  return {
    taps,
    zeroLagIndex: lead,
    sampleRateHz: options.sampleRateHz,
    searchLags: { start: -lead, end: options.maxSearchLagSamples },
    noiseLags: options.noiseLags,
  };
}

/**
 * 1 inside [startHz, endHz]; a raised-cosine roll-off over a sixth of an octave below
 * startHz and up to Nyquist above endHz; 0 beyond. The response is band-limited to what
 * the sweep excited.
 */
function bandWeight(frequencyHz: number, startHz: number, endHz: number, sampleRateHz: number): number {
  if (frequencyHz >= startHz && frequencyHz <= endHz) return 1;
  if (frequencyHz < startHz) {
    const lowEdgeHz = startHz / 2 ** (1 / 6);
    if (frequencyHz <= lowEdgeHz) return 0;
    return 0.5 - 0.5 * Math.cos((Math.PI * (frequencyHz - lowEdgeHz)) / (startHz - lowEdgeHz));
  }
  const highEdgeHz = sampleRateHz / 2;
  if (frequencyHz >= highEdgeHz) return endHz >= highEdgeHz ? 1 : 0;
  return 0.5 + 0.5 * Math.cos((Math.PI * (frequencyHz - endHz)) / (highEdgeHz - endHz));
}

export interface MlsDeconvolutionOptions {
  /** Peak amplitude the ±1 sequence was played at. */
  amplitude: number;
  /** Periods recorded after `warmUpPeriods`; they are averaged. */
  averagedPeriods: number;
  /** Periods played first so the path is in steady state (their recording is not used). */
  warmUpPeriods: number;
  sampleRateHz: number;
  leadSamples: number;
  maxSearchLagSamples: number;
  noiseLags: LagSpan;
}

/**
 * The MLS method (Rife & Vanderkooy 1989): once the path is in steady state, one period
 * of the recording is the circular convolution of the sequence with the response, and
 * the circular cross-correlation with the ±1 sequence returns a·((N+1)·h[τ] − Σh); adding
 * the recording's sum (= a·Σh, since an MLS holds one more +1 than −1) leaves h exactly.
 * Periods are averaged first (noise falls 3 dB per doubling). The correlation runs as a
 * linear one through a power-of-two FFT and is folded back onto the period.
 */
export function mlsImpulseResponse(
  recorded: Float32Array,
  sequence: Int8Array,
  options: MlsDeconvolutionOptions,
): ImpulseResponseEstimate {
  const period = sequence.length;
  const needed = (options.warmUpPeriods + options.averagedPeriods) * period;
  if (recorded.length < needed) {
    throw new RangeError(
      `MLS: need ${needed} recorded samples (${options.warmUpPeriods}+${options.averagedPeriods} periods), got ${recorded.length}`,
    );
  }
  const averaged = new Float64Array(period);
  for (let p = 0; p < options.averagedPeriods; p++) {
    const offset = (options.warmUpPeriods + p) * period;
    for (let i = 0; i < period; i++) averaged[i] = (averaged[i] as number) + (recorded[offset + i] as number);
  }
  let sum = 0;
  for (let i = 0; i < period; i++) {
    averaged[i] = (averaged[i] as number) / options.averagedPeriods;
    sum += averaged[i] as number;
  }
  const size = nextPowerOfTwo(2 * period);
  const fft = new FFT(size);
  const y = spectrumOf(fft, averaged, size);
  const m = spectrumOf(fft, sequence, size);
  const product = fft.createComplexArray() as number[];
  for (let k = 0; k < size; k++) {
    const yr = y[2 * k] as number;
    const yi = y[2 * k + 1] as number;
    const mr = m[2 * k] as number;
    const mi = m[2 * k + 1] as number;
    product[2 * k] = yr * mr + yi * mi;
    product[2 * k + 1] = yi * mr - yr * mi;
  }
  const linear = fft.createComplexArray() as number[];
  fft.inverseTransform(linear, product);
  const lagValue = (lag: number): number => linear[2 * ((lag + size) % size)] as number;
  const circular = new Float64Array(period);
  const scale = 1 / (options.amplitude * (period + 1));
  for (let lag = 0; lag < period; lag++) circular[lag] = (lagValue(lag) + lagValue(lag - period) + sum) * scale;
  const lead = options.leadSamples;
  const taps = new Float64Array(period);
  for (let i = 0; i < period; i++) taps[i] = circular[(i - lead + period) % period] as number;
  return {
    taps,
    zeroLagIndex: lead,
    sampleRateHz: options.sampleRateHz,
    searchLags: { start: -lead, end: options.maxSearchLagSamples },
    noiseLags: options.noiseLags,
  };
}
