/**
 * Size and sha256 checks of a file against the catalog, and the stamp that lets a load
 * skip re-hashing a file already verified (keyed by path, size and mtimeMs; `verify`
 * ignores it and always re-hashes).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { FileFacts } from './errors.js';

export interface ExpectedFile {
  sizeBytes: number;
  sha256: string;
}

export type FileCheck =
  | { status: 'ok'; path: string }
  | { status: 'missing'; path: string }
  | { status: 'corrupt'; path: string; actual: FileFacts };

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Stamp {
  path: string;
  sizeBytes: number;
  mtimeMs: number;
  sha256: string;
}

export interface CheckOptions {
  /** Where the stamp for this file lives (absent: never stamp). */
  stampPath?: string;
  /** Accept a matching stamp instead of hashing (loads); `verify` passes false. */
  trustStamp?: boolean;
  /** Check the size only (listing); a size match counts as ok. */
  sizeOnly?: boolean;
}

async function readStamp(stampPath: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await readFile(stampPath, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export async function checkFile(path: string, expected: ExpectedFile, options: CheckOptions = {}): Promise<FileCheck> {
  let sizeBytes: number;
  let mtimeMs: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) return { status: 'corrupt', path, actual: { sizeBytes: 0 } };
    ({ size: sizeBytes, mtimeMs } = info);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing', path };
    throw error;
  }
  if (sizeBytes !== expected.sizeBytes) return { status: 'corrupt', path, actual: { sizeBytes } };
  if (options.sizeOnly) return { status: 'ok', path };

  const { stampPath } = options;
  if (stampPath && options.trustStamp) {
    const stamp = await readStamp(stampPath);
    if (
      stamp?.path === path &&
      stamp.sizeBytes === sizeBytes &&
      stamp.mtimeMs === mtimeMs &&
      stamp.sha256 === expected.sha256
    ) {
      return { status: 'ok', path };
    }
  }
  const sha256 = await sha256File(path);
  if (sha256 !== expected.sha256) {
    if (stampPath) await rm(stampPath, { force: true });
    return { status: 'corrupt', path, actual: { sizeBytes, sha256 } };
  }
  if (stampPath) {
    const stamp: Stamp = { path, sizeBytes, mtimeMs, sha256 };
    // A read-only cache only costs a re-hash next time.
    await writeFile(stampPath, JSON.stringify(stamp)).catch(() => undefined);
  }
  return { status: 'ok', path };
}

/** Records that `path` (just verified) has `sha256`, so the next load skips hashing it. */
export async function writeStamp(stampPath: string, path: string, sha256: string): Promise<void> {
  const { size: sizeBytes, mtimeMs } = await stat(path);
  const stamp: Stamp = { path, sizeBytes, mtimeMs, sha256 };
  await writeFile(stampPath, JSON.stringify(stamp)).catch(() => undefined);
}
