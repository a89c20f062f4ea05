/** Small deterministic signals for the speaker-path unit tests. */
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

export const RATE_HZ = 16_000;

/** White Gaussian noise with RMS level `levelDbfs`. */
export function whiteNoise(lengthSamples: number, levelDbfs: number, seed = 1): Float32Array {
  const gaussian = gaussianSource(seededRandom(seed));
  const scale = 10 ** (levelDbfs / 20);
  return Float32Array.from({ length: lengthSamples }, () => gaussian() * scale);
}

export function sine(lengthSamples: number, frequencyHz: number, amplitude: number): Float32Array {
  return Float32Array.from(
    { length: lengthSamples },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / RATE_HZ),
  );
}

export function powerDb(samples: Float32Array, start = 0, end = samples.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += (samples[i] as number) ** 2;
  return 10 * Math.log10(sum / Math.max(1, end - start));
}

/** Calls `process(inFrame, outFrame)` frame by frame over `input`, returning the output. */
export function framewise(
  input: Float32Array,
  frameSamples: number,
  process: (inFrame: Float32Array, outFrame: Float32Array, frameIndex: number) => void,
): Float32Array {
  const out = new Float32Array(input.length);
  for (let f = 0; (f + 1) * frameSamples <= input.length; f++) {
    process(
      input.subarray(f * frameSamples, (f + 1) * frameSamples),
      out.subarray(f * frameSamples, (f + 1) * frameSamples),
      f,
    );
  }
  return out;
}
