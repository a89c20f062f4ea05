/**
 * The real-recording test signal the front-end bench and the worker tests share: a
 * Mandarin clip from ../shared, padded with silence, in the CC0 noise recording at a
 * chosen SNR, with the clip's utterances (Rabiner–Sambur truth) as the reference.
 */
import { readPipelineWav, resampleSignal } from '../../device/audio/read-pipeline-wav.js';
import { readWav } from '../../device/audio/wav-file.js';
import { buildNoisyScenario, type NoisyScenario } from './noisy-scenario.js';
import { SHARED_PATHS } from './shared-data.js';
import { speechUtterances } from './speech-truth.js';

export async function loadCc0Noise16k(): Promise<Float32Array> {
  const wav = readWav(SHARED_PATHS.cc0Noise);
  return resampleSignal(wav.samples, wav.sampleRate, 16_000);
}

export async function clipInNoise(
  clipPath: string,
  options: { padBeforeSamples: number; padAfterSamples: number; snrDb: number } = {
    padBeforeSamples: 24_000,
    padAfterSamples: 32_000,
    snrDb: 5,
  },
): Promise<NoisyScenario> {
  const clean = (await readPipelineWav(clipPath)).samples;
  return buildNoisyScenario(clean, speechUtterances(clean), await loadCc0Noise16k(), options);
}
