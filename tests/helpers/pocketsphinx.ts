/**
 * An English recogniser for checking synthesised speech: CMU pocketsphinx with its US
 * English model, from Debian (`apt-get install pocketsphinx pocketsphinx-en-us`). Tests
 * that need it skip, naming the missing program, where it is not installed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
