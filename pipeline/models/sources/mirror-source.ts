/**
 * Mirror sources: a folder laid out like `<root>/<path>` (`../shared/models` is one). A
 * mirror source becomes one candidate per configured root, so the error lists each root
 * tried; a root that does not exist is reported and skipped.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Source } from '../spec.js';
import { copyFileWithProgress } from './copy-with-progress.js';
import { type SourceCandidate, SourceFailure } from './source-context.js';

type MirrorSource = Extract<Source, { kind: 'mirror' }>;

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export function mirrorCandidates(source: MirrorSource, roots: readonly string[]): SourceCandidate[] {
  if (roots.length === 0) {
    return [
      {
        label: `mirror ${source.path}`,
        acquire: async () => {
          throw new SourceFailure('no mirror configured (set COLLAR_MODEL_MIRROR to a folder, e.g. ../shared/models)');
        },
      },
    ];
  }
  return roots.map((root) => {
    const path = join(root, ...source.path.split('/'));
    return {
      label: `mirror ${path}`,
      acquire: async (ctx) => {
        if (!(await isDirectory(root))) {
          throw new SourceFailure(`mirror root ${root} does not exist (check COLLAR_MODEL_MIRROR)`);
        }
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) throw new SourceFailure('not found in this mirror');
        if (info.size !== ctx.file.sizeBytes) {
          throw new SourceFailure(`${path} is ${info.size} bytes, expected ${ctx.file.sizeBytes}`);
        }
        await copyFileWithProgress(path, ctx.tempPath, ctx.onBytes);
        return ctx.tempPath;
      },
    };
  });
}
