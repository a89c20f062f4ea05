/**
 * Test signals the calibration plays through the chest speaker: the exponential sine
 * sweep and the maximum-length sequence for the echo path, and octave-shaped noise for
 * the speaker-to-listener level. Every signal is deterministic (no unseeded randomness),
 * so the file the offline route writes (`collar calibrate --play-to`) is the same signal
 * the analysis expects back.
 */

import FFT from 'fft.js';
import { seededRandom } from '../pipeline/dsp/seeded-random.js';

export interface ExponentialSweep {
  samples: Float32Array;
  startHz: number;
  endHz: number;
  sampleRateHz: number;
}

export interface SweepOptions {
  startHz: number;
  endHz: number;
  durationSeconds: number;
  /** Peak amplitude (full scale 1.0). */
  amplitude: number;
  /** Half-Hann fade at each end, so the speaker is not hit by a step. */
  fadeMs: number;
  sampleRateHz: number;
}

/**
 * The exponential (logarithmic) sine sweep of Farina (2000), "Simultaneous measurement of
 * impulse response and distortion with a swept-sine technique" (AES 108th Convention):
 * x(t) = sin(2π f1 L (e^{t/L} − 1)), L = T / ln(f2 / f1). Its instantaneous frequency
 * rises exponentially, so harmonic distortion of the speaker lands at negative lags after
 * deconvolution, ahead of the linear response, instead of smearing over it.
 */
export function exponentialSweep(options: SweepOptions): ExponentialSweep {
  const { startHz, endHz, durationSeconds, amplitude, fadeMs, sampleRateHz } = options;
  if (!(startHz > 0 && endHz > startHz && endHz <= sampleRateHz / 2)) {
    throw new RangeError(`sweep: need 0 < startHz < endHz ≤ Nyquist, got ${startHz}…${endHz} Hz at ${sampleRateHz} Hz`);
  }
  const length = Math.round(durationSeconds * sampleRateHz);
  const rate = Math.log(endHz / startHz);
  const sweepL = durationSeconds / rate;
  const samples = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRateHz;
    samples[i] = amplitude * Math.sin(2 * Math.PI * startHz * sweepL * (Math.exp(t / sweepL) - 1));
  }
  applyFades(samples, Math.round((fadeMs * sampleRateHz) / 1000));
  return { samples, startHz, endHz, sampleRateHz };
}

/**
 * Feedback taps of maximal-length linear feedback shift registers (Fibonacci form), from
 * the table in Xilinx XAPP052 (Alfke 1996). Each gives a period of 2^order − 1.
 */
const MLS_TAPS: Record<number, readonly number[]> = {
  10: [10, 7],
  11: [11, 9],
  12: [12, 11, 10, 4],
  13: [13, 12, 11, 8],
  14: [14, 13, 12, 2],
  15: [15, 14],
  16: [16, 15, 13, 4],
  17: [17, 14],
  18: [18, 11],
};

export const MLS_ORDERS = Object.keys(MLS_TAPS).map(Number);

/**
 * One period of a maximum-length sequence as ±1 values (Rife & Vanderkooy 1989, "Transfer-
 * function measurement with maximum-length sequences", JAES 37(6)). Its circular
 * autocorrelation is 2^order − 1 at lag 0 and −1 at every other lag, which is what lets
 * a circular cross-correlation recover the impulse response.
 */
export function maximumLengthSequence(order: number): Int8Array {
  const taps = MLS_TAPS[order];
  if (!taps) throw new RangeError(`MLS order must be one of ${MLS_ORDERS.join(', ')}, got ${order}`);
  const length = 2 ** order - 1;
  const sequence = new Int8Array(length);
  let state = 1;
  for (let i = 0; i < length; i++) {
    sequence[i] = state & 1 ? 1 : -1;
    let feedback = 0;
    for (const tap of taps) feedback ^= (state >> (order - tap)) & 1;
    state = (state >> 1) | (feedback << (order - 1));
  }
  return sequence;
}

export interface OctaveNoiseOptions {
  durationSeconds: number;
  /** RMS level of the result. */
  rmsDbfs: number;
  /** Band the noise covers; the spectrum is pink (equal power per octave) inside it. */
  lowHz: number;
  highHz: number;
  fadeMs: number;
  sampleRateHz: number;
  seed: number;
}

/**
 * Pink noise (equal power per octave) limited to [lowHz, highHz], made in the frequency
 * domain: magnitude ∝ f^−½, seeded random phases. Equal power per octave gives every
 * MASK_BANDS_HZ band the same signal-to-noise ratio when the outer microphone hears it.
 */
export function octaveShapedNoise(options: OctaveNoiseOptions): Float32Array {
  const { durationSeconds, rmsDbfs, lowHz, highHz, fadeMs, sampleRateHz, seed } = options;
  const length = Math.round(durationSeconds * sampleRateHz);
  let size = 2;
  while (size < length) size *= 2;
  const fft = new FFT(size);
  const spectrum = fft.createComplexArray() as number[];
  const random = seededRandom(seed);
  for (let k = 1; k < size / 2; k++) {
    const frequencyHz = (k * sampleRateHz) / size;
    if (frequencyHz < lowHz || frequencyHz > highHz) continue;
    const magnitude = 1 / Math.sqrt(frequencyHz);
    const phase = 2 * Math.PI * random();
    const re = magnitude * Math.cos(phase);
    const im = magnitude * Math.sin(phase);
    spectrum[2 * k] = re;
    spectrum[2 * k + 1] = im;
    spectrum[2 * (size - k)] = re;
    spectrum[2 * (size - k) + 1] = -im;
  }
  const timeDomain = fft.createComplexArray() as number[];
  fft.inverseTransform(timeDomain, spectrum);
  const samples = new Float32Array(length);
  for (let i = 0; i < length; i++) samples[i] = timeDomain[2 * i] as number;
  applyFades(samples, Math.round((fadeMs * sampleRateHz) / 1000));
  let energy = 0;
  for (const value of samples) energy += value * value;
  const scale = 10 ** (rmsDbfs / 20) / Math.sqrt(energy / Math.max(1, length));
  for (let i = 0; i < length; i++) samples[i] = (samples[i] as number) * scale;
  return samples;
}

/** Half-Hann fade-in and fade-out of `fadeSamples` each, in place. */
function applyFades(samples: Float32Array, fadeSamples: number): void {
  const fade = Math.min(fadeSamples, Math.floor(samples.length / 2));
  for (let i = 0; i < fade; i++) {
    const gain = 0.5 - 0.5 * Math.cos((Math.PI * i) / fade);
    samples[i] = (samples[i] as number) * gain;
    const j = samples.length - 1 - i;
    samples[j] = (samples[j] as number) * gain;
  }
}
