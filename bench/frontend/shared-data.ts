/**
 * Where the real recordings live: `../shared` beside the repository (read-only, never
 * copied into the project), or COLLAR_SHARED_DIR. Benches and tests find their inputs
 * here and name exactly which file is missing when it is not there.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json (sources or dist/). */
function repositoryRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const SHARED_DIR = process.env.COLLAR_SHARED_DIR ?? join(repositoryRoot(), '..', 'shared');

export const SHARED_PATHS = {
  noiseDir: join(SHARED_DIR, 'audio', 'noise'),
  mandarinDir: join(SHARED_DIR, 'audio', 'zh'),
  cc0Noise: join(SHARED_DIR, 'audio', 'noise', 'noise_freesound_573577.wav'),
  modelsDir: join(SHARED_DIR, 'models'),
  gtcrnModel: join(SHARED_DIR, 'models', 'gtcrn', 'gtcrn_simple.onnx'),
} as const;

export interface NoisyPair {
  id: string;
  cleanPath: string;
  noisyPath: string;
}

/** The DNS-Challenge pairs (`00NN_clean.wav` + `00NN_noisy.wav`). */
export function dnsPairs(): NoisyPair[] {
  if (!existsSync(SHARED_PATHS.noiseDir)) return [];
  return readdirSync(SHARED_PATHS.noiseDir)
    .filter((name) => name.endsWith('_clean.wav'))
    .sort()
    .map((name) => {
      const id = name.replace('_clean.wav', '');
      return {
        id,
        cleanPath: join(SHARED_PATHS.noiseDir, name),
        noisyPath: join(SHARED_PATHS.noiseDir, `${id}_noisy.wav`),
      };
    })
    .filter((pair) => existsSync(pair.noisyPath));
}

/** The Mandarin recordings (16 kHz mono WAV). */
export function mandarinClips(): string[] {
  if (!existsSync(SHARED_PATHS.mandarinDir)) return [];
  return readdirSync(SHARED_PATHS.mandarinDir)
    .filter((name) => name.endsWith('.wav'))
    .sort()
    .map((name) => join(SHARED_PATHS.mandarinDir, name));
}

/** The first of `paths` that does not exist, for skip and error messages. */
export function firstMissing(paths: readonly string[]): string | undefined {
  return paths.find((path) => !existsSync(path));
}
