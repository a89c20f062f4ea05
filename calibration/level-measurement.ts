/**
 * Levels of a recording, in dBFS (full scale ±1.0, a full-scale sine reads −3 dBFS RMS):
 * RMS with and without its DC offset, peak, clipping, digital silence, and the active
 * speech level of ITU-T P.56.
 */

/** |x| at or above this is taken as clipped (int16 full scale less one step). */
export const CLIP_LEVEL = 32_767 / 32_768 - 1e-6;

export interface SignalStats {
  lengthSamples: number;
  /** RMS over the whole recording, DC included. */
  rmsDbfs: number;
  /** RMS after removing the mean: a microphone stuck at a constant value reads as silent. */
  acRmsDbfs: number;
  dcOffset: number;
  peakDbfs: number;
  /** Samples at full scale. */
  clippedSamples: number;
  /** Longest run of consecutive samples at full scale. */
  longestClipRun: number;
  /** Every sample is the same value (zero or a stuck DC level). */
  digitalSilence: boolean;
}

const toDb = (power: number): number => (power > 0 ? 10 * Math.log10(power) : Number.NEGATIVE_INFINITY);

export function signalStats(samples: Float32Array): SignalStats {
  const length = samples.length;
  let sum = 0;
  let sumSquares = 0;
  let peak = 0;
  let clipped = 0;
  let run = 0;
  let longestRun = 0;
  let constant = true;
  const first = samples[0] ?? 0;
  for (let i = 0; i < length; i++) {
    const value = samples[i] as number;
    sum += value;
    sumSquares += value * value;
    const magnitude = Math.abs(value);
    if (magnitude > peak) peak = magnitude;
    if (value !== first) constant = false;
    if (magnitude >= CLIP_LEVEL) {
      clipped += 1;
      run += 1;
      if (run > longestRun) longestRun = run;
    } else {
      run = 0;
    }
  }
  const count = Math.max(1, length);
  const mean = sum / count;
  return {
    lengthSamples: length,
    rmsDbfs: toDb(sumSquares / count),
    acRmsDbfs: toDb(Math.max(0, sumSquares / count - mean * mean)),
    dcOffset: mean,
    peakDbfs: 20 * Math.log10(Math.max(peak, 1e-10)),
    clippedSamples: clipped,
    longestClipRun: longestRun,
    digitalSilence: constant,
  };
}

export interface ActiveSpeechLevel {
  /** Active speech level (P.56), dBFS; −Infinity when nothing is active. */
  activeLevelDbfs: number;
  /** Fraction of the recording that counts as active speech (0…1). */
  activityFactor: number;
  /** Long-term RMS level over the whole recording, dBFS. */
  longTermLevelDbfs: number;
}

/** P.56 method B constants: envelope time constant, hangover, margin. */
const P56_TIME_CONSTANT_S = 0.03;
const P56_HANGOVER_S = 0.2;
const P56_MARGIN_DB = 15.9;
/** Thresholds at 2^−15 … 2^0 of full scale (one per 6 dB, as sv56 does for 16-bit audio). */
const P56_THRESHOLDS = Array.from({ length: 16 }, (_, j) => 2 ** (j - 15));

/**
 * Active speech level, ITU-T P.56 (12/2011) method B, as the ITU-T Software Tool Library
 * implements it (sv56): the rectified signal is smoothed twice with a 30 ms time
 * constant; for each threshold c_j (6 dB apart) a sample is active while the envelope is
 * at or above c_j, or within 200 ms of having been; the active level at threshold j is
 * the energy over the active samples, A_j; the speech level is where A_j − 20·log10(c_j)
 * falls to the 15.9 dB margin, interpolated between the two thresholds that straddle it.
 */
export function activeSpeechLevel(samples: Float32Array, sampleRateHz: number): ActiveSpeechLevel {
  const g = Math.exp(-1 / (sampleRateHz * P56_TIME_CONSTANT_S));
  const hangover = Math.ceil(P56_HANGOVER_S * sampleRateHz);
  const thresholds = P56_THRESHOLDS.length;
  const active = new Float64Array(thresholds);
  const hang = new Int32Array(thresholds).fill(hangover);
  let p = 0;
  let q = 0;
  let sumSquares = 0;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i] as number;
    sumSquares += value * value;
    p = g * p + (1 - g) * Math.abs(value);
    q = g * q + (1 - g) * p;
    for (let j = 0; j < thresholds; j++) {
      if (q >= (P56_THRESHOLDS[j] as number)) {
        active[j] = (active[j] as number) + 1;
        hang[j] = 0;
      } else if ((hang[j] as number) < hangover) {
        active[j] = (active[j] as number) + 1;
        hang[j] = (hang[j] as number) + 1;
      }
    }
  }
  const length = Math.max(1, samples.length);
  const longTermLevelDbfs = toDb(sumSquares / length);
  const none: ActiveSpeechLevel = { activeLevelDbfs: Number.NEGATIVE_INFINITY, activityFactor: 0, longTermLevelDbfs };
  if (sumSquares === 0 || (active[0] as number) === 0) return none;
  // Margin between the active level and the threshold, for each threshold that saw activity.
  const levelAt = (j: number): number => toDb(sumSquares / (active[j] as number));
  const marginAt = (j: number): number => levelAt(j) - 20 * Math.log10(P56_THRESHOLDS[j] as number);
  if (marginAt(0) <= P56_MARGIN_DB) {
    return { activeLevelDbfs: levelAt(0), activityFactor: (active[0] as number) / length, longTermLevelDbfs };
  }
  for (let j = 1; j < thresholds; j++) {
    if ((active[j] as number) === 0) break;
    const margin = marginAt(j);
    if (margin <= P56_MARGIN_DB) {
      const previous = marginAt(j - 1);
      const fraction = (previous - P56_MARGIN_DB) / (previous - margin);
      const activeLevelDbfs = levelAt(j - 1) + fraction * (levelAt(j) - levelAt(j - 1));
      const activityFactor = Math.min(1, sumSquares / length / 10 ** (activeLevelDbfs / 10));
      return { activeLevelDbfs, activityFactor, longTermLevelDbfs };
    }
  }
  return none;
}

/**
 * Spread of a recording's short-term levels: the 95th minus the 10th percentile of its
 * 20 ms frame levels, in dB. Speech rises and falls with every syllable and pause (20 dB
 * and more); a steady signal — fan noise, hum, a microphone's own hiss — barely moves.
 * P.56 alone cannot tell them apart: it counts any steady signal as fully active.
 */
export function levelSpreadDb(samples: Float32Array, sampleRateHz: number): number {
  const frame = Math.max(1, Math.round(0.02 * sampleRateHz));
  const levels: number[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let energy = 0;
    for (let i = start; i < start + frame; i++) energy += (samples[i] as number) ** 2;
    levels.push(10 * Math.log10(Math.max(energy / frame, 1e-20)));
  }
  if (levels.length === 0) return 0;
  levels.sort((a, b) => a - b);
  const at = (fraction: number): number =>
    levels[Math.min(levels.length - 1, Math.floor(fraction * levels.length))] as number;
  return at(0.95) - at(0.1);
}
