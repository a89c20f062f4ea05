/**
 * Puts one model file into the cache: the sources are tried in order; each writes a
 * temp file (or the resumable `.partial` for URLs) in the model's cache folder, which is
 * checked for size and sha256 and only then renamed onto `<cache>/<id>/<name>`, so that
 * path never holds a half-written or unverified file. A failed source leaves nothing
 * behind except a resumable partial download.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { describeMismatch, type SourceAttempt } from './errors.js';
import { checkFile, writeStamp } from './file-check.js';
import { lockFile } from './file-lock.js';
import { type FileLocation, fileLocation } from './locations.js';
import type { FetchProgressListener } from './progress.js';
import { candidatesFor, SourceFailure } from './sources/index.js';
import type { ModelFile } from './spec.js';

export interface FetchFileDeps {
  cacheDir: string;
  mirrors: readonly string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  httpTimeoutMs: number;
  registryTimeoutMs: number;
  onProgress?: FetchProgressListener;
}

export type FetchFileResult =
  | { ok: true; fileName: string; path: string; action: 'present' | 'fetched'; from?: string }
  | { ok: false; fileName: string; attempts: SourceAttempt[] };

/** Removes one-off temp files a killed fetch may have left (never the resumable partial). */
async function removeStaleTemps(location: FileLocation): Promise<void> {
  const names = await readdir(location.dir).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(location.tempPrefix))
      .map((name) => rm(join(location.dir, name), { force: true })),
  );
}

async function removePartial(location: FileLocation): Promise<void> {
  await rm(location.partialPath, { force: true });
  await rm(location.partialMetaPath, { force: true });
}

export async function fetchFile(modelId: string, file: ModelFile, deps: FetchFileDeps): Promise<FetchFileResult> {
  const location = fileLocation(deps.cacheDir, modelId, file.name);
  await mkdir(location.dir, { recursive: true });
  const lock = await lockFile(location.lockPath);
  if ('heldBy' in lock) {
    const reason =
      `another collar process (pid ${lock.heldBy}) is fetching this file; ` +
      `wait for it to finish, or remove ${location.lockPath} if no fetch is running`;
    return { ok: false, fileName: file.name, attempts: [{ source: location.path, reason }] };
  }
  try {
    return await fetchFileLocked(modelId, file, location, deps);
  } finally {
    await lock.release();
  }
}

async function fetchFileLocked(
  modelId: string,
  file: ModelFile,
  location: FileLocation,
  deps: FetchFileDeps,
): Promise<FetchFileResult> {
  const emit = deps.onProgress ?? (() => undefined);
  const base = { modelId, fileName: file.name, sizeBytes: file.sizeBytes };
  await removeStaleTemps(location);

  const cached = await checkFile(location.path, file, { stampPath: location.stampPath, trustStamp: true });
  if (cached.status === 'ok') {
    await removePartial(location);
    emit({ ...base, type: 'present', path: location.path });
    return { ok: true, fileName: file.name, path: location.path, action: 'present' };
  }
  if (cached.status === 'corrupt') {
    deps.logger.warn({ modelId, file: file.name }, 'cached model file is corrupt; fetching it again');
  }

  const attempts: SourceAttempt[] = [];
  for (const candidate of candidatesFor(file.sources, deps.mirrors)) {
    const tempPath = join(location.dir, `${location.tempPrefix}${randomBytes(6).toString('hex')}`);
    emit({ ...base, type: 'start', from: candidate.label });
    let written: string | undefined;
    let keepPartial = false;
    try {
      written = await candidate.acquire({
        modelId,
        file,
        location,
        tempPath,
        env: deps.env,
        httpTimeoutMs: deps.httpTimeoutMs,
        registryTimeoutMs: deps.registryTimeoutMs,
        logger: deps.logger,
        onBytes: (receivedBytes) => emit({ ...base, type: 'bytes', receivedBytes }),
      });
      const check = await checkFile(written, file);
      if (check.status !== 'ok') {
        const actual = check.status === 'corrupt' ? check.actual : { sizeBytes: 0 };
        throw new SourceFailure(`${describeMismatch(file, actual)}; the download was discarded`);
      }
      await rename(written, location.path);
      await writeStamp(location.stampPath, location.path, file.sha256);
      await removePartial(location);
      emit({ ...base, type: 'done', from: candidate.label, path: location.path });
      return { ok: true, fileName: file.name, path: location.path, action: 'fetched', from: candidate.label };
    } catch (error) {
      keepPartial = error instanceof SourceFailure && error.resumable;
      const reason = error instanceof Error ? error.message : String(error);
      attempts.push({ source: candidate.label, reason });
      emit({ ...base, type: 'failed', from: candidate.label, reason });
      deps.logger.debug({ modelId, file: file.name, source: candidate.label, reason }, 'model source failed');
    } finally {
      await rm(tempPath, { force: true });
      if (!keepPartial && written === location.partialPath) await removePartial(location);
    }
  }
  return { ok: false, fileName: file.name, attempts };
}
