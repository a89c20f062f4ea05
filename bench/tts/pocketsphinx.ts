/**
 * An English recogniser for checking synthesised speech: CMU pocketsphinx with its US
 * English model, from Debian (`apt-get install pocketsphinx pocketsphinx-en-us`). The TTS
 * bench and tests use it where it is installed and say so where it is not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resampleSignal } from '../../device/audio/read-pipeline-wav.js';
import { floatToInt16 } from '../../device/audio/sample-convert.js';
import { writeWav16 } from '../../device/audio/wav-file.js';

export const POCKETSPHINX = '/usr/bin/pocketsphinx_continuous';

export function pocketsphinxMissing(): string | undefined {
  return existsSync(POCKETSPHINX) ? undefined : POCKETSPHINX;
}

/** The words pocketsphinx hears in a 16 kHz mono 16-bit WAV file. */
export function recogniseEnglish(wavPath: string): string {
  const result = spawnSync(POCKETSPHINX, ['-infile', wavPath, '-logfn', '/dev/null'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pocketsphinx failed on ${wavPath}: ${result.stderr}`);
  return result.stdout.trim().replace(/\s+/g, ' ');
}

/** Writes `samples` (any rate) as the 16 kHz mono WAV pocketsphinx reads, with 250 ms of silence around it. */
export async function writeRecognisableWav(samples: Float32Array, sampleRateHz: number, path: string): Promise<string> {
  const at16k = await resampleSignal(samples, sampleRateHz, 16_000);
  const padded = new Float32Array(at16k.length + 8_000);
  padded.set(at16k, 4_000);
  const pcm = new Int16Array(padded.length);
  floatToInt16(padded, pcm);
  writeWav16(path, pcm, 16_000);
  return path;
}
