/**
 * Where the store keeps things. Cache: `COLLAR_MODEL_CACHE`, else
 * `$XDG_CACHE_HOME/collar/models`, else `~/.cache/collar/models`; a file lives at
 * `<cache>/<modelId>/<fileName>`, and the store's own bookkeeping beside it under hidden
 * names (a plain file name never starts with a dot, see spec.ts). Mirrors:
 * `COLLAR_MODEL_MIRROR`, colon-separated roots, resolved against the working directory.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.COLLAR_MODEL_CACHE) return resolve(env.COLLAR_MODEL_CACHE);
  if (env.XDG_CACHE_HOME) return resolve(env.XDG_CACHE_HOME, 'collar', 'models');
  return join(homedir(), '.cache', 'collar', 'models');
}

export function mirrorRoots(env: NodeJS.ProcessEnv): string[] {
  return (env.COLLAR_MODEL_MIRROR ?? '')
    .split(':')
    .filter((root) => root !== '')
    .map((root) => resolve(root));
}

/** The paths the store uses for one file of one model. */
export interface FileLocation {
  dir: string;
  /** The verified file; only ever created by an atomic rename. */
  path: string;
  /** A resumable HTTP download in progress, and what it was downloading. */
  partialPath: string;
  partialMetaPath: string;
  /** Records the size, mtime and sha256 of a file already hashed, so later loads skip hashing. */
  stampPath: string;
  /** Held (with the owner's pid) while a fetch of this file runs. */
  lockPath: string;
  /** Prefix of the one-off temp files of non-resumable sources (mirror, registry packages). */
  tempPrefix: string;
}

export function fileLocation(cacheDir: string, modelId: string, fileName: string): FileLocation {
  const dir = join(cacheDir, modelId);
  return {
    dir,
    path: join(dir, fileName),
    partialPath: join(dir, `.${fileName}.partial`),
    partialMetaPath: join(dir, `.${fileName}.partial.json`),
    stampPath: join(dir, `.${fileName}.stamp.json`),
    lockPath: join(dir, `.${fileName}.lock`),
    tempPrefix: `.${fileName}.tmp-`,
  };
}
