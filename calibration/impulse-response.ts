/**
 * What the echo step reads off an impulse response: where the direct sound arrives (to a
 * fraction of a sample), how much energy the path carries, where the response sinks into
 * the measurement noise, and the peak-to-noise ratio.
 */
import { IMPULSE_RESPONSE_LEAD_SAMPLES } from './calibration-profile.js';
import type { ImpulseResponseEstimate } from './deconvolution.js';

export interface ImpulseResponseAnalysis {
  /** Lag of the direct sound in samples, with sub-sample interpolation. */
  delaySamples: number;
  delayMs: number;
  /** Energy gain 10·log10(Σ h²) from just before the direct sound to the truncation point, noise removed. */
  gainDb: number;
  /** Direct-sound peak power over the noise power per tap. */
  snrDb: number;
  /** Noise power per tap, in dB (10·log10 of the mean h² over the noise lags). */
  noiseFloorDb: number;
  /** Lag (samples) where the response has decayed into the noise. */
  truncationLag: number;
  /** Taps from IMPULSE_RESPONSE_LEAD_SAMPLES before floor(delaySamples) up to the truncation point (at most `maxTaps`). */
  taps: Float64Array;
}

export interface AnalysisOptions {
  /** Most taps kept in `taps`. */
  maxTaps: number;
}

/** The direct sound is the first local peak within this much of the strongest one. */
const DIRECT_SOUND_WITHIN_DB = 6;
/** Energy counted before the direct-sound peak: the band-limited pulse rings ahead of it. */
const PRE_PEAK_MS = 2;
/** Block length for the decay envelope. */
const ENVELOPE_BLOCK_MS = 5;

/**
 * Delay: the direct sound is the first local maximum of |h| that comes within 6 dB of
 * the strongest one (so a louder reflection off the mask shell is not taken for it), and
 * band-limited interpolation places it between samples.
 *
 * Gain and truncation: Lundeby et al. (1995), "Uncertainties of measurements in room
 * acoustics", Acustica 81, simplified: the noise level comes from lags past any
 * plausible response; a line fitted to the decay envelope (5 ms blocks, from 5 dB
 * below its maximum to 10 dB above the noise) meets the noise level at the truncation
 * point. The energy up to there, less the noise the same taps carry, plus the fitted
 * decay's energy beyond it, is the path's energy gain.
 */
export function analyseImpulseResponse(
  estimate: ImpulseResponseEstimate,
  options: AnalysisOptions,
): ImpulseResponseAnalysis {
  const { taps, zeroLagIndex, sampleRateHz } = estimate;
  const indexOf = (lag: number): number => Math.max(0, Math.min(taps.length, lag + zeroLagIndex));
  const searchStart = indexOf(estimate.searchLags.start);
  const searchEnd = indexOf(estimate.searchLags.end);
  const noiseStart = indexOf(estimate.noiseLags.start);
  const noiseEnd = indexOf(estimate.noiseLags.end);
  if (searchEnd - searchStart < 3 || noiseEnd - noiseStart < 16) {
    throw new RangeError('impulse response too short for its search and noise spans');
  }
  let noisePower = 0;
  for (let i = noiseStart; i < noiseEnd; i++) noisePower += (taps[i] as number) ** 2;
  noisePower /= noiseEnd - noiseStart;

  let strongest = 0;
  for (let i = searchStart; i < searchEnd; i++) strongest = Math.max(strongest, Math.abs(taps[i] as number));
  const threshold = strongest * 10 ** (-DIRECT_SOUND_WITHIN_DB / 20);
  let peak = searchStart;
  while (peak < searchEnd && Math.abs(taps[peak] as number) < threshold) peak += 1;
  while (peak + 1 < searchEnd && Math.abs(taps[peak + 1] as number) > Math.abs(taps[peak] as number)) peak += 1;
  const delayIndex = peak + subSampleOffset(taps, peak);
  const delaySamples = delayIndex - zeroLagIndex;

  const blockLength = Math.max(1, Math.round((ENVELOPE_BLOCK_MS * sampleRateHz) / 1000));
  const preLength = Math.round((PRE_PEAK_MS * sampleRateHz) / 1000);
  const start = Math.max(0, peak - preLength);
  const searchLimit = Math.max(start + blockLength, noiseStart);
  const envelope: number[] = [];
  for (let blockStart = peak; blockStart + blockLength <= searchLimit; blockStart += blockLength) {
    let energy = 0;
    for (let i = blockStart; i < blockStart + blockLength; i++) energy += (taps[i] as number) ** 2;
    envelope.push(10 * Math.log10(Math.max(energy / blockLength, 1e-30)));
  }
  const noiseDb = 10 * Math.log10(Math.max(noisePower, 1e-30));
  const decay = fitDecay(envelope, noiseDb);
  const truncationBlocks = decay ? decay.crossingBlock : firstBlockNear(envelope, noiseDb + 5);
  const end = Math.min(taps.length, searchLimit, peak + Math.max(1, Math.round(truncationBlocks * blockLength)));

  let energy = 0;
  for (let i = start; i < end; i++) energy += (taps[i] as number) ** 2;
  energy -= noisePower * (end - start);
  if (decay && decay.slopeDbPerBlock < 0) {
    // Lundeby's correction: the decay carries on under the noise; add its geometric tail.
    const ratio = 10 ** (decay.slopeDbPerBlock / 10);
    const atCrossing = 10 ** ((decay.interceptDb + decay.slopeDbPerBlock * truncationBlocks) / 10);
    energy += (atCrossing * blockLength * ratio) / (1 - ratio);
  }
  // Keep a few taps before the direct sound: a fractional delay spreads it over a
  // band-limited pulse, and an echo canceller seeded from this needs all of it.
  // (Lags before the start of the measurement are zeros.)
  const keptStart = Math.floor(delayIndex) - IMPULSE_RESPONSE_LEAD_SAMPLES;
  const kept = new Float64Array(Math.max(0, Math.min(end, keptStart + options.maxTaps) - keptStart));
  for (let i = 0; i < kept.length; i++) kept[i] = keptStart + i >= 0 ? (taps[keptStart + i] as number) : 0;
  return {
    delaySamples,
    delayMs: (delaySamples * 1000) / sampleRateHz,
    gainDb: 10 * Math.log10(Math.max(energy, 1e-30)),
    snrDb: 10 * Math.log10(Math.max((taps[peak] as number) ** 2, 1e-30) / Math.max(noisePower, 1e-30)),
    noiseFloorDb: noiseDb,
    truncationLag: end - zeroLagIndex,
    taps: kept.length > 0 ? kept : taps.slice(peak, peak + 1),
  };
}

/** Half-width (taps) of the interpolation kernel, and the grid step the peak is searched on. */
const INTERPOLATION_HALF_WIDTH = 32;
const INTERPOLATION_STEPS_PER_SAMPLE = 64;

/** |h| between samples by band-limited (Hann-windowed sinc) interpolation of the taps around it. */
function interpolatedMagnitude(taps: Float64Array, position: number): number {
  const centre = Math.floor(position);
  let sum = 0;
  for (let k = centre - INTERPOLATION_HALF_WIDTH + 1; k <= centre + INTERPOLATION_HALF_WIDTH; k++) {
    if (k < 0 || k >= taps.length) continue;
    const x = position - k;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / INTERPOLATION_HALF_WIDTH);
    sum += (taps[k] as number) * sinc * window;
  }
  return Math.abs(sum);
}

/**
 * Where the band-limited response between peak−1 and peak+1 is largest, as an offset
 * from `peak`: the sampled response is interpolated (it is band-limited, so the samples
 * determine it) on a 1/64-sample grid, and a parabola through the best grid point and
 * its neighbours refines it. A parabola through the raw samples alone is biased by up
 * to a quarter of a sample for a sinc-shaped pulse.
 */
function subSampleOffset(taps: Float64Array, peak: number): number {
  if (peak <= 0 || peak + 1 >= taps.length) return 0;
  const step = 1 / INTERPOLATION_STEPS_PER_SAMPLE;
  let best = 0;
  let bestValue = -1;
  for (let offset = -1; offset <= 1 + 1e-9; offset += step) {
    const value = interpolatedMagnitude(taps, peak + offset);
    if (value > bestValue) {
      bestValue = value;
      best = offset;
    }
  }
  const a = interpolatedMagnitude(taps, peak + best - step);
  const c = interpolatedMagnitude(taps, peak + best + step);
  const denominator = a - 2 * bestValue + c;
  const refine = denominator < 0 ? (0.5 * (a - c)) / denominator : 0;
  return best + Math.max(-0.5, Math.min(0.5, refine)) * step;
}

interface DecayFit {
  slopeDbPerBlock: number;
  interceptDb: number;
  /** Block (fractional) where the fitted line meets the noise level. */
  crossingBlock: number;
}

/** Least-squares line through the decay, from 5 dB below the envelope's maximum to 10 dB above the noise. */
function fitDecay(envelope: number[], noiseDb: number): DecayFit | undefined {
  if (envelope.length < 3) return undefined;
  const maxDb = Math.max(...envelope);
  let first = envelope.findIndex((level) => level <= maxDb - 5);
  if (first < 0) return undefined;
  let last = first;
  for (let i = first; i < envelope.length; i++) {
    if ((envelope[i] as number) < noiseDb + 10) break;
    last = i;
  }
  if (last - first < 1) {
    // The response drops into the noise within a block or two: no decay to fit.
    first = 0;
    if (last - first < 1) return undefined;
  }
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const count = last - first + 1;
  for (let i = first; i <= last; i++) {
    const level = envelope[i] as number;
    sx += i;
    sy += level;
    sxx += i * i;
    sxy += i * level;
  }
  const slope = (count * sxy - sx * sy) / (count * sxx - sx * sx);
  const intercept = (sy - slope * sx) / count;
  if (!(slope < 0)) return undefined;
  const crossing = (noiseDb - intercept) / slope;
  return {
    slopeDbPerBlock: slope,
    interceptDb: intercept,
    crossingBlock: Math.max(last + 1, Math.min(envelope.length, crossing)),
  };
}

function firstBlockNear(envelope: number[], levelDb: number): number {
  const index = envelope.findIndex((level) => level < levelDb);
  return index < 0 ? envelope.length : Math.max(1, index);
}
