/**
 * The same code runs from TypeScript sources (vitest, tsx) and from compiled JavaScript
 * (`dist/`, what the `collar` bin runs). Worker entry points and stage modules are
 * resolved with the caller's own extension. A worker started from sources first
 * registers the tsx loader (a dev dependency) and then imports its .ts entry: Node 20
 * does not apply `--import` hooks to a worker's own entry module.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

export function isRunningFromSources(callerUrl: string): boolean {
  return callerUrl.endsWith('.ts');
}

/** `relativePath` without extension, e.g. './passthrough/passthrough-stage'. */
export function siblingModuleUrl(callerUrl: string, relativePath: string): string {
  const extension = isRunningFromSources(callerUrl) ? '.ts' : '.js';
  return new URL(relativePath + extension, callerUrl).href;
}

let tsxApiUrl: string | undefined;

function resolveTsxApiUrl(): string {
  if (tsxApiUrl) return tsxApiUrl;
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const relative = manifest.exports['./esm/api']?.import?.default;
  if (!relative) throw new Error('tsx does not export ./esm/api; run from dist/ (npm run build) instead');
  tsxApiUrl = pathToFileURL(join(dirname(packageJsonPath), relative)).href;
  return tsxApiUrl;
}

/** The first two arguments of `new Worker(...)` that run `entryUrl`, from sources or from dist. */
export function workerSpawnArgs(entryUrl: string): { script: URL | string; options: WorkerOptions } {
  if (!fileURLToPath(entryUrl).endsWith('.ts')) return { script: new URL(entryUrl), options: {} };
  const code = [
    `import(${JSON.stringify(resolveTsxApiUrl())})`,
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entryUrl)}); })`,
    '.catch((error) => { console.error(error); process.exit(1); });',
  ].join('');
  return { script: code, options: { eval: true } };
}
