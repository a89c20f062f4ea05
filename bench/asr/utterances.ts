/**
 * Test utterances of fixed lengths for the ASR bench, cut from the real Mandarin
 * recordings in ../shared (clips joined end to end with 200 ms gaps, then trimmed), and
 * the transcribed clips themselves for the character error rate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPipelineWav } from '../../device/audio/read-pipeline-wav.js';
import { mandarinClips, SHARED_PATHS } from '../frontend/shared-data.js';

export const SAMPLE_RATE_HZ = 16000;

export interface TranscribedClip {
  file: string;
  samples: Float32Array;
  reference: string;
}

export async function transcribedClips(): Promise<TranscribedClip[]> {
  const refs = readFileSync(join(SHARED_PATHS.mandarinDir, 'refs.tsv'), 'utf8').trim().split('\n').slice(1);
  const clips: TranscribedClip[] = [];
  for (const line of refs) {
    const [file, , , , reference] = line.split('\t');
    if (!file || !reference) continue;
    clips.push({ file, reference, samples: (await readPipelineWav(join(SHARED_PATHS.mandarinDir, file))).samples });
  }
  return clips;
}

export async function utteranceOfLength(durationS: number): Promise<Float32Array> {
  const wanted = Math.round(durationS * SAMPLE_RATE_HZ);
  const gap = new Float32Array(SAMPLE_RATE_HZ / 5);
  const pieces: Float32Array[] = [];
  let total = 0;
  const clips = mandarinClips();
  if (clips.length === 0) throw new Error(`no Mandarin recordings in ${SHARED_PATHS.mandarinDir}`);
  for (let i = 0; total < wanted; i++) {
    const { samples } = await readPipelineWav(clips[i % clips.length] as string);
    pieces.push(samples, gap);
    total += samples.length + gap.length;
  }
  const joined = new Float32Array(total);
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined.subarray(0, wanted);
}
