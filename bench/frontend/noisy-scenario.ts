/**
 * Test signals for endpointing: a clean clip padded with silence on both sides, with a
 * real noise recording (looped) mixed in over the whole length at a chosen SNR. The SNR
 * is speech power over the clip's speech frames against noise power over the whole mix.
 */
import type { SampleRange } from './speech-truth.js';

export interface NoisyScenario {
  samples: Float32Array;
  /** Utterances of the clean clip, shifted by the leading pad. */
  truth: SampleRange[];
  padBeforeSamples: number;
}

function meanPower(samples: Float32Array, ranges: SampleRange[] | undefined): number {
  let energy = 0;
  let count = 0;
  for (const { startSample, endSample } of ranges ?? [{ startSample: 0, endSample: samples.length }]) {
    for (let i = startSample; i < endSample; i++) energy += (samples[i] as number) ** 2;
    count += endSample - startSample;
  }
  return energy / Math.max(count, 1);
}

export function buildNoisyScenario(
  clean: Float32Array,
  cleanTruth: SampleRange[],
  noise: Float32Array,
  options: { padBeforeSamples: number; padAfterSamples: number; snrDb: number; noiseOffsetSamples?: number },
): NoisyScenario {
  const { padBeforeSamples, padAfterSamples, snrDb } = options;
  const length = padBeforeSamples + clean.length + padAfterSamples;
  const samples = new Float32Array(length);
  samples.set(clean, padBeforeSamples);
  const speechPower = meanPower(clean, cleanTruth);
  const noisePower = meanPower(noise, undefined);
  const noiseGain = Math.sqrt(speechPower / (noisePower * 10 ** (snrDb / 10)));
  const offset = options.noiseOffsetSamples ?? 0;
  for (let i = 0; i < length; i++) {
    samples[i] = (samples[i] as number) + noiseGain * (noise[(i + offset) % noise.length] as number);
  }
  const truth = cleanTruth.map(({ startSample, endSample }) => ({
    startSample: startSample + padBeforeSamples,
    endSample: endSample + padBeforeSamples,
  }));
  return { samples, truth, padBeforeSamples };
}
