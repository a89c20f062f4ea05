/**
 * Mirror folders, the cache's verified-path contract (resolveFile never downloads), the
 * stamp that makes later loads cheap, verify (--fix) and list.
 */
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ModelIntegrityError,
  ModelNotInstalledError,
  ModelSourceError,
  type ModelSpec,
  openModelStore,
  UnknownModelError,
} from '../../../pipeline/models/index.js';
import { type Fixture, makeFixture } from '../../helpers/fixture-http-server.js';
import { filesUnder, oneFileSpec, tempDir } from '../../helpers/model-cache.js';

const FILE = 'tiny.onnx';
let fixture: Fixture;
let cache: ReturnType<typeof tempDir>;
let mirrorA: ReturnType<typeof tempDir>;
let mirrorB: ReturnType<typeof tempDir>;
let spec: ModelSpec;

function putInMirror(root: string, body: Buffer): void {
  mkdirSync(join(root, 'tiny'), { recursive: true });
  writeFileSync(join(root, 'tiny', FILE), body);
}

beforeEach(() => {
  fixture = makeFixture(64 * 1024);
  cache = tempDir('model-cache');
  mirrorA = tempDir('mirror-a');
  mirrorB = tempDir('mirror-b');
  spec = oneFileSpec('tiny', { name: FILE, sizeBytes: fixture.sizeBytes, sha256: fixture.sha256 }, [
    { kind: 'mirror', path: `tiny/${FILE}` },
  ]);
});
afterEach(() => {
  for (const dir of [cache, mirrorA, mirrorB]) dir.remove();
});

const storeWith = (mirrors: string[]) => openModelStore({ env: {}, cacheDir: cache.path, mirrors, catalog: [spec] });
const cachedPath = () => join(cache.path, 'tiny', FILE);

describe('mirror sources', () => {
  it('copies from the first mirror root that has the file, noting a missing root on the way', async () => {
    putInMirror(mirrorB.path, fixture.body);
    const missingRoot = join(mirrorA.path, 'does-not-exist');
    const lines: string[] = [];
    const result = await storeWith([missingRoot, mirrorB.path]).fetch('tiny', {
      onProgress: (event) => {
        if (event.type === 'failed' || event.type === 'done') lines.push(`${event.type} ${event.from}`);
      },
    });
    expect(result.files[0]?.from).toBe(`mirror ${join(mirrorB.path, 'tiny', FILE)}`);
    expect(lines).toEqual([
      `failed mirror ${join(missingRoot, 'tiny', FILE)}`,
      `done mirror ${join(mirrorB.path, 'tiny', FILE)}`,
    ]);
    expect(readFileSync(cachedPath()).equals(fixture.body)).toBe(true);
  });

  it('fails naming every root and why: missing root, file absent, wrong size, wrong hash', async () => {
    const wrongSize = tempDir('mirror-c');
    try {
      putInMirror(wrongSize.path, fixture.body.subarray(0, 100));
      const wrongHash = Buffer.from(fixture.body);
      wrongHash[0] = (wrongHash[0] ?? 0) ^ 1;
      putInMirror(mirrorB.path, wrongHash);
      const roots = ['/nonexistent/collar-mirror', mirrorA.path, wrongSize.path, mirrorB.path];
      const error = await storeWith(roots)
        .fetch('tiny')
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ModelSourceError);
      const message = (error as Error).message;
      expect(message).toMatch(/mirror root \/nonexistent\/collar-mirror does not exist \(check COLLAR_MODEL_MIRROR\)/);
      expect(message).toContain(`mirror ${join(mirrorA.path, 'tiny', FILE)}: not found in this mirror`);
      expect(message).toContain(`is 100 bytes, expected ${fixture.sizeBytes}`);
      expect(message).toContain(`expected ${fixture.sha256}; the download was discarded`);
      expect(filesUnder(cache.path)).toEqual([]);
    } finally {
      wrongSize.remove();
    }
  });

  it('says to set COLLAR_MODEL_MIRROR when none is configured', async () => {
    const error = await storeWith([])
      .fetch('tiny')
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/no mirror configured \(set COLLAR_MODEL_MIRROR/);
  });
});

describe('the cache', () => {
  it('resolveFile throws ModelNotInstalledError naming the command, without fetching', async () => {
    putInMirror(mirrorA.path, fixture.body);
    const error = await storeWith([mirrorA.path])
      .resolveFile('tiny', FILE)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelNotInstalledError);
    expect((error as Error).message).toBe('model "tiny" is not installed (tiny.onnx): run `collar models fetch tiny`');
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('rejects unknown ids and file names, listing what exists', async () => {
    const store = storeWith([]);
    await expect(store.resolveFile('nope', FILE)).rejects.toThrow(/unknown model "nope"; known models: tiny/);
    await expect(store.resolveFile('tiny', 'x.onnx')).rejects.toBeInstanceOf(UnknownModelError);
    await expect(store.fetch('nope')).rejects.toThrow(/known models: tiny/);
  });

  it('hashes once, then trusts the stamp until size or mtime change', async () => {
    putInMirror(mirrorA.path, fixture.body);
    const store = storeWith([mirrorA.path]);
    await store.fetch('tiny');
    // A whole-second mtime so the test can restore it exactly; verify re-stamps it.
    const mtime = new Date(1_700_000_000_000);
    utimesSync(cachedPath(), mtime, mtime);
    expect((await store.verify(['tiny']))[0]?.status).toBe('ok');
    expect(await store.resolveFile('tiny', FILE)).toBe(cachedPath());

    // Same size and mtime, different bytes: the stamp is trusted (that is its point)...
    const tampered = Buffer.from(fixture.body);
    tampered[10] = (tampered[10] ?? 0) ^ 1;
    writeFileSync(cachedPath(), tampered);
    utimesSync(cachedPath(), mtime, mtime);
    expect(await store.resolveFile('tiny', FILE)).toBe(cachedPath());
    // ...while verify always re-hashes and finds it.
    const [entry] = await store.verify(['tiny']);
    expect(entry?.status).toBe('corrupt');
    // A touched file is re-hashed on load and refused.
    utimesSync(cachedPath(), new Date(), new Date());
    const error = await store.resolveFile('tiny', FILE).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelIntegrityError);
    expect((error as Error).message).toMatch(/tiny\/tiny\.onnx at .* is corrupt: sha256 [0-9a-f]{64}, expected/);
    expect((error as Error).message).toMatch(/run `collar models fetch tiny` to replace it/);
  });

  it('verify reports ok / missing / corrupt and removes a corrupt file only with fix', async () => {
    putInMirror(mirrorA.path, fixture.body);
    const store = storeWith([mirrorA.path]);
    expect((await store.verify())[0]?.status).toBe('missing');
    await store.fetch('tiny');
    expect((await store.verify())[0]).toMatchObject({ status: 'ok', path: cachedPath() });

    writeFileSync(cachedPath(), fixture.body.subarray(0, 10));
    const [corrupt] = await store.verify(['tiny']);
    expect(corrupt).toMatchObject({ status: 'corrupt' });
    expect(corrupt?.detail).toMatch(/truncated: 10 bytes, expected 65536; .*collar models verify --fix tiny/);
    expect(statSync(cachedPath()).size).toBe(10);
    await expect(store.resolveFile('tiny', FILE)).rejects.toBeInstanceOf(ModelIntegrityError);
    expect((await store.list())[0]?.files[0]?.state).toBe('corrupt');

    const [fixed] = await store.verify(['tiny'], { fix: true });
    expect(fixed).toMatchObject({ status: 'corrupt', removed: true });
    expect(fixed?.detail).toMatch(/removed it, run `collar models fetch tiny`/);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('fetch replaces a corrupt cached file atomically', async () => {
    putInMirror(mirrorA.path, fixture.body);
    mkdirSync(join(cache.path, 'tiny'), { recursive: true });
    writeFileSync(cachedPath(), 'garbage');
    const result = await storeWith([mirrorA.path]).fetch('tiny');
    expect(result.files[0]?.action).toBe('fetched');
    expect(readFileSync(cachedPath()).equals(fixture.body)).toBe(true);
  });

  it('list reports size, license and state per model', async () => {
    putInMirror(mirrorA.path, fixture.body);
    const store = storeWith([mirrorA.path]);
    expect(await store.list()).toEqual([
      {
        id: 'tiny',
        task: 'denoise',
        description: 'test model tiny',
        license: 'MIT',
        totalBytes: fixture.sizeBytes,
        status: 'missing',
        files: [{ name: FILE, sizeBytes: fixture.sizeBytes, state: 'missing' }],
      },
    ]);
    await store.fetch('tiny');
    const [listing] = await store.list();
    expect(listing?.status).toBe('installed');
    expect(listing?.files[0]).toEqual({
      name: FILE,
      sizeBytes: fixture.sizeBytes,
      state: 'installed',
      path: cachedPath(),
    });
  });

  it("will not fetch a file another live process is fetching, and takes over a dead one's lock", async () => {
    putInMirror(mirrorA.path, fixture.body);
    const lockPath = join(cache.path, 'tiny', `.${FILE}.lock`);
    mkdirSync(join(cache.path, 'tiny'), { recursive: true });
    writeFileSync(lockPath, String(process.pid));
    const error = await storeWith([mirrorA.path])
      .fetch('tiny')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelSourceError);
    expect((error as Error).message).toContain(`another collar process (pid ${process.pid}) is fetching this file`);
    expect(filesUnder(cache.path)).toEqual([`tiny/.${FILE}.lock`]);

    writeFileSync(lockPath, '999999999');
    await storeWith([mirrorA.path]).fetch('tiny');
    expect(filesUnder(cache.path)).toEqual([`tiny/.${FILE}.stamp.json`, `tiny/${FILE}`]);
  });

  it('removes one-off temp files a killed fetch left behind', async () => {
    putInMirror(mirrorA.path, fixture.body);
    mkdirSync(join(cache.path, 'tiny'), { recursive: true });
    writeFileSync(join(cache.path, 'tiny', `.${FILE}.tmp-deadbeef`), 'half');
    await storeWith([mirrorA.path]).fetch('tiny');
    expect(filesUnder(cache.path)).toEqual([`tiny/.${FILE}.stamp.json`, `tiny/${FILE}`]);
  });
});
