/**
 * Speech for the acoustic simulations. The wearer's Mandarin comes from the real
 * recordings in ../shared/audio/zh (joined, looped to length); when those are absent a
 * labelled synthetic signal stands in. The device's own English is real synthesis by
 * the default engine (espeak-ng, all shipped accents in turn) of the phrasebook's
 * English, so the feedback tests hear what the speaker really plays.
 */
import { existsSync } from 'node:fs';
import { readPipelineWav, resampleSignal } from '../../device/audio/read-pipeline-wav.js';
import { EspeakEngine } from '../../pipeline/engines/tts/espeak/espeak-engine.js';
import { BUILTIN_PHRASEBOOK } from '../../pipeline/text/phrasebook/builtin-phrasebook.js';
import { mandarinClips } from '../frontend/shared-data.js';
import { syntheticSpeech } from './synthetic-speech.js';

export interface SpeechSignal {
  samples: Float32Array;
  /** Where it came from, for reports: file names, or "synthetic (../shared absent)". */
  source: string;
  synthetic: boolean;
}

function loopToLength(parts: Float32Array[], lengthSamples: number, gapSamples: number): Float32Array {
  const out = new Float32Array(lengthSamples);
  let position = 0;
  for (let index = 0; position < lengthSamples && parts.length; index++) {
    const part = parts[index % parts.length] as Float32Array;
    out.set(part.subarray(0, Math.min(part.length, lengthSamples - position)), position);
    position += part.length + gapSamples;
  }
  return out;
}

/** `seconds` of the wearer's Mandarin at 16 kHz: real recordings when ../shared has them. */
export async function wearerSpeech(seconds: number): Promise<SpeechSignal> {
  const lengthSamples = Math.round(seconds * 16_000);
  const clips = mandarinClips().filter((path) => existsSync(path));
  if (clips.length === 0) {
    return {
      samples: syntheticSpeech({ seconds, seed: 7, pitchHz: 190 }),
      source: 'synthetic speech (../shared/audio/zh absent)',
      synthetic: true,
    };
  }
  const parts = await Promise.all(clips.map(async (path) => (await readPipelineWav(path)).samples));
  return {
    samples: loopToLength(parts, lengthSamples, 4_000),
    source: clips.map((path) => path.split('/').pop()).join(', '),
    synthetic: false,
  };
}

/**
 * `seconds` of the device's own English at 16 kHz: espeak-ng speaking phrasebook lines,
 * cycling through its accents, with 300 ms between lines as the speaker plays them.
 */
export async function deviceEnglish(seconds: number): Promise<SpeechSignal> {
  const engine = await EspeakEngine.load();
  const voices = engine.voiceNames();
  const lengthSamples = Math.round(seconds * 16_000);
  const parts: Float32Array[] = [];
  let total = 0;
  for (let index = 0; total < lengthSamples && index < BUILTIN_PHRASEBOOK.length * voices.length; index++) {
    const entry = BUILTIN_PHRASEBOOK[index % BUILTIN_PHRASEBOOK.length];
    const voiceName = voices[index % voices.length];
    if (!entry || !voiceName) break;
    const audio = await engine.synthesizeClause(entry.en, { voiceName, rate: 0.85, pitch: 1 });
    const resampled = await resampleSignal(audio, engine.sampleRateHz, 16_000);
    parts.push(resampled);
    total += resampled.length + 4_800;
  }
  return {
    samples: loopToLength(parts, lengthSamples, 4_800),
    source: `espeak-ng (${voices.length} accents) speaking ${parts.length} phrasebook lines`,
    synthetic: false,
  };
}
