/** Helpers for model-store tests: temp folders, what a cache folder holds, one-file specs. */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { ModelSpec, Source } from '../../pipeline/models/index.js';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `collar-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every file under `dir`, relative, sorted (an absent dir holds nothing). */
export function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path));
    }
  };
  walk(dir);
  return found.sort();
}

/** Files in the cache other than verified files, their stamps and (if allowed) a resumable partial. */
export function strayFiles(cacheDir: string, options: { allowPartial?: boolean } = {}): string[] {
  return filesUnder(cacheDir).filter((path) => {
    const name = path.split('/').pop() ?? '';
    if (!name.startsWith('.')) return false;
    if (name.endsWith('.stamp.json')) return false;
    if (options.allowPartial && (name.endsWith('.partial') || name.endsWith('.partial.json'))) return false;
    return true;
  });
}

export function oneFileSpec(
  id: string,
  file: { name: string; sizeBytes: number; sha256: string },
  sources: Source[],
): ModelSpec {
  return { id, task: 'denoise', description: `test model ${id}`, license: 'MIT', files: [{ ...file, sources }] };
}
