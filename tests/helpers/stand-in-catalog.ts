/**
 * Publishes test-built models the way a real one is published: files in a mirror folder
 * and a catalog entry (COLLAR_MODEL_CATALOG) pinning their sizes and sha256, so engines
 * and the CLI load them through the real model store.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ModelSpec, ModelTask } from '../../pipeline/models/index.js';

export function publishToMirror(
  mirrorDir: string,
  modelId: string,
  task: ModelTask,
  files: readonly string[],
): ModelSpec {
  mkdirSync(join(mirrorDir, modelId), { recursive: true });
  return {
    id: modelId,
    task,
    description: `test stand-in for ${modelId} (real signature, made-up weights)`,
    license: 'test',
    files: files.map((path) => {
      const name = basename(path);
      copyFileSync(path, join(mirrorDir, modelId, name));
      return {
        name,
        sizeBytes: statSync(path).size,
        sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
        sources: [{ kind: 'mirror' as const, path: `${modelId}/${name}` }],
      };
    }),
  };
}

export function writeCatalogFile(path: string, specs: readonly ModelSpec[]): string {
  writeFileSync(path, JSON.stringify(specs, null, 2));
  return path;
}
