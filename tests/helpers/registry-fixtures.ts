/**
 * Builds real registry artifacts for the model store's package sources: an npm tarball
 * (`npm pack` of a folder, offline) with the packument an npm registry serves for it, and
 * a wheel (python3's zipfile) with the PEP 503 "simple" page a PyPI index serves for it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureServer } from './fixture-http-server.js';

/** Packs `{name}@{version}` holding `filePath` and serves it from `server` as an npm registry. */
export function serveNpmPackage(
  server: FixtureServer,
  work: string,
  pkg: { name: string; version: string; filePath: string; body: Buffer },
): void {
  const dir = join(work, 'pkg-src');
  mkdirSync(join(dir, ...pkg.filePath.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, license: 'MIT' }));
  writeFileSync(join(dir, ...pkg.filePath.split('/')), pkg.body);
  const out = join(work, 'packed');
  mkdirSync(out);
  execFileSync('npm', ['pack', dir, '--pack-destination', out, '--silent'], { cwd: work, stdio: 'pipe' });
  const tarballName = readdirSync(out).find((name) => name.endsWith('.tgz')) ?? '';
  const tarball = readFileSync(join(out, tarballName));
  const tarballPath = `/${pkg.name}/-/${tarballName}`;
  const packument = {
    name: pkg.name,
    'dist-tags': { latest: pkg.version },
    versions: {
      [pkg.version]: {
        name: pkg.name,
        version: pkg.version,
        dist: {
          tarball: server.url(tarballPath),
          shasum: createHash('sha1').update(tarball).digest('hex'),
          integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
        },
      },
    },
  };
  server.routes.set(`/${pkg.name}`, {
    kind: 'file',
    body: Buffer.from(JSON.stringify(packument)),
    contentType: 'application/json',
  });
  server.routes.set(tarballPath, { kind: 'file', body: tarball });
}

export function pipAvailable(): boolean {
  return spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0;
}

/** Builds `{name}-{version}-py3-none-any.whl` holding `filePath` and serves it as a simple index. */
export function servePypiWheel(
  server: FixtureServer,
  work: string,
  pkg: { name: string; version: string; filePath: string; body: Buffer },
): void {
  const dist = pkg.name.replace(/[-.]+/g, '_');
  const wheelName = `${dist}-${pkg.version}-py3-none-any.whl`;
  const wheelPath = join(work, wheelName);
  const payload = join(work, 'payload.bin');
  writeFileSync(payload, pkg.body);
  const script = [
    'import sys, zipfile',
    'wheel, dist, version, inner, payload = sys.argv[1:6]',
    "info = f'{dist}-{version}.dist-info'",
    "with zipfile.ZipFile(wheel, 'w', zipfile.ZIP_DEFLATED) as z:",
    '    z.write(payload, inner)',
    "    z.writestr(f'{info}/METADATA', f'Metadata-Version: 2.1\\nName: {dist}\\nVersion: {version}\\n')",
    "    z.writestr(f'{info}/WHEEL', 'Wheel-Version: 1.0\\nGenerator: collar-tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n')",
    "    z.writestr(f'{info}/RECORD', '')",
  ].join('\n');
  execFileSync('python3', ['-c', script, wheelPath, dist, pkg.version, pkg.filePath, payload]);
  const wheel = readFileSync(wheelPath);
  const sha256 = createHash('sha256').update(wheel).digest('hex');
  const project = pkg.name.toLowerCase().replace(/[-_.]+/g, '-');
  const page = `<!DOCTYPE html><html><body><a href="/files/${wheelName}#sha256=${sha256}">${wheelName}</a></body></html>`;
  server.routes.set(`/simple/${project}/`, { kind: 'file', body: Buffer.from(page), contentType: 'text/html' });
  server.routes.set(`/files/${wheelName}`, { kind: 'file', body: wheel });
}
