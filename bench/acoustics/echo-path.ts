/**
 * Generated impulse responses for the simulated device: the chest speaker heard by the
 * microphone inside the mask. A path is a bulk delay (device I/O latency plus a few cm
 * of air, fractional delays by windowed sinc), a direct sound, a few early reflections
 * (body, mask shell) and an exponentially decaying diffuse tail, normalised so that its
 * energy gain (sum of squared taps) is exactly `gainDb`. Seeded, so reproducible.
 */

import { gaussianSource, seededRandom } from '../../pipeline/dsp/seeded-random.js';
import { energyOf } from './levels.js';

export interface EchoPathSpec {
  /** Where the direct sound arrives, from playback to capture. */
  delayMs: number;
  /** Energy gain of the whole path, 10·log10(Σ h²). */
  gainDb: number;
  /** Time for the diffuse tail to fall by 60 dB. */
  rt60Ms: number;
  /** Tail energy relative to the direct sound's (dB). */
  tailToDirectDb: number;
  /** Length of the generated response after the direct sound. */
  tailLengthMs: number;
  seed: number;
  sampleRateHz?: number;
}

/** Realistic paths for a neck-worn device (I/O latency 8–40 ms, echo 4–12 dB below playback). */
export const ECHO_PATHS: Record<string, EchoPathSpec> = {
  'near-dry': { delayMs: 8.3, gainDb: -6, rt60Ms: 60, tailToDirectDb: -14, tailLengthMs: 50, seed: 11 },
  'mask-cavity': { delayMs: 21.7, gainDb: -9, rt60Ms: 120, tailToDirectDb: -8, tailLengthMs: 90, seed: 23 },
  'room-reflections': { delayMs: 37.4, gainDb: -12, rt60Ms: 250, tailToDirectDb: -4, tailLengthMs: 110, seed: 37 },
};

const SINC_HALF_WIDTH = 16;

/** Adds a Hann-windowed sinc pulse of `amplitude` centred at fractional sample `position`. */
function addFractionalImpulse(taps: Float32Array, position: number, amplitude: number): void {
  const centre = Math.floor(position);
  for (let offset = -SINC_HALF_WIDTH + 1; offset <= SINC_HALF_WIDTH; offset++) {
    const index = centre + offset;
    if (index < 0 || index >= taps.length) continue;
    const x = index - position;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const window = 0.5 + 0.5 * Math.cos((Math.PI * x) / SINC_HALF_WIDTH);
    taps[index] = (taps[index] as number) + amplitude * sinc * Math.max(0, window);
  }
}

export function generateEchoPath(spec: EchoPathSpec): Float32Array {
  const rate = spec.sampleRateHz ?? 16_000;
  const delaySamples = (spec.delayMs * rate) / 1000;
  const tailSamples = Math.round((spec.tailLengthMs * rate) / 1000);
  const taps = new Float32Array(Math.ceil(delaySamples) + tailSamples + SINC_HALF_WIDTH);
  const uniform = seededRandom(spec.seed);
  const gaussian = gaussianSource(uniform);

  addFractionalImpulse(taps, delaySamples, 1);
  const tail = new Float32Array(taps.length);
  // Early reflections 1–6 ms after the direct sound, then the diffuse tail.
  for (let reflection = 0; reflection < 4; reflection++) {
    const lagSamples = ((1 + 5 * uniform()) * rate) / 1000;
    addFractionalImpulse(tail, delaySamples + lagSamples, (uniform() < 0.5 ? -1 : 1) * (0.3 + 0.4 * uniform()));
  }
  const decayPerSample = Math.log(1000) / ((spec.rt60Ms * rate) / 1000);
  const tailStart = Math.ceil(delaySamples) + 1;
  for (let i = tailStart; i < taps.length; i++) {
    tail[i] = (tail[i] as number) + 0.2 * gaussian() * Math.exp(-decayPerSample * (i - tailStart));
  }
  const tailScale = Math.sqrt((10 ** (spec.tailToDirectDb / 10) * energyOf(taps)) / Math.max(energyOf(tail), 1e-20));
  for (let i = 0; i < taps.length; i++) taps[i] = (taps[i] as number) + tailScale * (tail[i] as number);

  const scale = Math.sqrt(10 ** (spec.gainDb / 10) / energyOf(taps));
  for (let i = 0; i < taps.length; i++) taps[i] = (taps[i] as number) * scale;
  return taps;
}

/** Energy gain of a path in dB, 10·log10(Σ h²): the figure calibration reports as echo gain. */
export function pathGainDb(impulseResponse: Float32Array): number {
  return 10 * Math.log10(energyOf(impulseResponse));
}
