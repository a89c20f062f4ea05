/**
 * `collar models` as a user runs it: `fetch gtcrn` from the ../shared/models mirror and
 * from a loopback HTTP server (through a COLLAR_MODEL_CATALOG override), then list, path
 * and verify, and the exit codes and messages of each kind of bad input.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FixtureServer, startFixtureServer } from '../../helpers/fixture-http-server.js';
import { filesUnder, tempDir } from '../../helpers/model-cache.js';
import { ROOT, runCollar } from '../../helpers/run-collar.js';
import { runCollarAsync } from '../../helpers/run-collar-async.js';

const SHARED_MODELS = join(ROOT, '..', 'shared', 'models');
const SHARED_GTCRN = join(SHARED_MODELS, 'gtcrn', 'gtcrn_simple.onnx');
const GTCRN_SHA256 = 'b4718df6228e7bdf1a8a435cf98f838636eb2fd331acabf86ba87c5192ebcb87';
const hasGtcrn = existsSync(SHARED_GTCRN);
if (!hasGtcrn) console.warn(`skipping collar models fetch gtcrn tests: ${SHARED_GTCRN} is missing`);

let cache: ReturnType<typeof tempDir>;
beforeEach(() => {
  cache = tempDir('cli-cache');
});
afterEach(() => cache.remove());

const cachedGtcrn = () => join(cache.path, 'gtcrn', 'gtcrn_simple.onnx');

describe.skipIf(!hasGtcrn)('collar models fetch gtcrn', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
    server.routes.set('/gtcrn_simple.onnx', { kind: 'file', body: readFileSync(SHARED_GTCRN) });
  });
  afterAll(() => server.close());

  it('fetches from the mirror in COLLAR_MODEL_MIRROR (relative to the working directory)', () => {
    const env = { COLLAR_MODEL_CACHE: cache.path, COLLAR_MODEL_MIRROR: '../shared/models' };
    const fetched = runCollar(['models', 'fetch', 'gtcrn'], env);
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toContain(`fetching gtcrn/gtcrn_simple.onnx from mirror ${SHARED_GTCRN} (535190 bytes)`);
    expect(fetched.stderr).toMatch(/gtcrn\/gtcrn_simple\.onnx: 535190 bytes ok \(size and sha256 verified\)/);
    expect(fetched.stdout).toContain('gtcrn: 1 file(s) ready (1 fetched)');
    expect(statSync(cachedGtcrn()).size).toBe(535190);

    const path = runCollar(['models', 'path', 'gtcrn'], { COLLAR_MODEL_CACHE: cache.path });
    expect(path).toMatchObject({ code: 0, stdout: `${cachedGtcrn()}\n` });
    const verified = runCollar(['models', 'verify', 'gtcrn', '--json'], { COLLAR_MODEL_CACHE: cache.path });
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toEqual([
      { modelId: 'gtcrn', fileName: 'gtcrn_simple.onnx', status: 'ok', path: cachedGtcrn() },
    ]);
  });

  it('fetches from a loopback HTTP server given by a COLLAR_MODEL_CATALOG override', async () => {
    const catalogFile = join(cache.path, 'catalog.json');
    const override = {
      id: 'gtcrn',
      task: 'denoise',
      description: 'GTCRN served over loopback',
      license: 'MIT',
      files: [
        {
          name: 'gtcrn_simple.onnx',
          sizeBytes: 535190,
          sha256: GTCRN_SHA256,
          sources: [{ kind: 'url', url: server.url('/gtcrn_simple.onnx') }],
        },
      ],
    };
    writeFileSync(catalogFile, JSON.stringify([override]));
    const modelCache = join(cache.path, 'models');
    const result = await runCollarAsync(['models', 'fetch', 'gtcrn'], {
      COLLAR_MODEL_CACHE: modelCache,
      COLLAR_MODEL_CATALOG: catalogFile,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`fetching gtcrn/gtcrn_simple.onnx from ${server.url('/gtcrn_simple.onnx')}`);
    expect(server.requests.at(-1)).toMatchObject({ path: '/gtcrn_simple.onnx', status: 200, bodyBytes: 535190 });
    expect(filesUnder(modelCache)).toEqual(['gtcrn/.gtcrn_simple.onnx.stamp.json', 'gtcrn/gtcrn_simple.onnx']);
  });

  it('verify exits 1 for a corrupt file and removes it only with --fix', () => {
    const env = { COLLAR_MODEL_CACHE: cache.path, COLLAR_MODEL_MIRROR: SHARED_MODELS };
    expect(runCollar(['models', 'fetch', 'gtcrn'], env).code).toBe(0);
    writeFileSync(cachedGtcrn(), Buffer.alloc(535190));
    const verify = runCollar(['models', 'verify', 'gtcrn'], env);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toMatch(/^corrupt gtcrn\/gtcrn_simple\.onnx .*sha256 [0-9a-f]{64}, expected b4718df6/m);
    expect(verify.stdout).toContain('collar models verify --fix gtcrn');
    expect(existsSync(cachedGtcrn())).toBe(true);
    const fix = runCollar(['models', 'verify', 'gtcrn', '--fix'], env);
    expect(fix.code).toBe(1);
    expect(fix.stdout).toMatch(/removed it, run `collar models fetch gtcrn`/);
    expect(existsSync(cachedGtcrn())).toBe(false);
  });
});

describe('collar models: bad input', () => {
  it('exits 2 for an unknown id, listing the known ones, before fetching anything', () => {
    const result = runCollar(['models', 'fetch', 'gtcrn', 'nope'], { COLLAR_MODEL_CACHE: cache.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown model "nope"; known models: gtcrn, dtln, silero-vad-v5, silero-vad-v6/);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('path exits 1 naming the fetch command when a model is not installed', () => {
    const result = runCollar(['models', 'path', 'dtln'], { COLLAR_MODEL_CACHE: cache.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('model "dtln" is not installed (model_1.onnx): run `collar models fetch dtln`');
  });

  it('fetch exits 1 listing every source tried when none works, leaving the cache empty', () => {
    const env = { COLLAR_MODEL_CACHE: cache.path, COLLAR_MODEL_MIRROR: join(cache.path, 'no-such-mirror') };
    const catalogFile = join(cache.path, 'catalog.json');
    writeFileSync(
      catalogFile,
      JSON.stringify([
        {
          id: 'offline',
          task: 'vad',
          description: 'sources that all fail',
          license: 'MIT',
          files: [
            {
              name: 'x.onnx',
              sizeBytes: 10,
              sha256: GTCRN_SHA256,
              sources: [
                { kind: 'mirror', path: 'offline/x.onnx' },
                { kind: 'url', url: 'http://127.0.0.1:9/x.onnx' },
              ],
            },
          ],
        },
      ]),
    );
    const result = runCollar(['models', 'fetch', 'offline'], { ...env, COLLAR_MODEL_CATALOG: catalogFile });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/could not fetch offline\/x\.onnx from any source:/);
    expect(result.stderr).toMatch(/- mirror .*no-such-mirror\/offline\/x\.onnx: mirror root .* does not exist/);
    expect(result.stderr).toMatch(/- http:\/\/127\.0\.0\.1:9\/x\.onnx: unreachable/);
    expect(filesUnder(join(cache.path, 'offline'))).toEqual([]);
  });

  it('exits 2 for an invalid COLLAR_MODEL_CATALOG, naming the entry and field', () => {
    const catalogFile = join(cache.path, 'catalog.json');
    writeFileSync(
      catalogFile,
      JSON.stringify([
        {
          id: 'bad',
          task: 'vad',
          description: '',
          license: 'MIT',
          files: [{ name: 'a', sizeBytes: 1, sha256: 'xyz', sources: [] }],
        },
      ]),
    );
    const result = runCollar(['models', 'list'], { COLLAR_MODEL_CATALOG: catalogFile, COLLAR_MODEL_CACHE: cache.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /COLLAR_MODEL_CATALOG .*catalog\.json: entry 0 \("bad"\): files\.0\.sha256: expected 64 lowercase hex/,
    );
  });

  it('list --json shows every built-in model with its state', () => {
    const result = runCollar(['models', 'list', '--json'], { COLLAR_MODEL_CACHE: cache.path });
    expect(result.code).toBe(0);
    const { cacheDir, models } = JSON.parse(result.stdout) as {
      cacheDir: string;
      models: Array<{ id: string; status: string }>;
    };
    expect(cacheDir).toBe(cache.path);
    expect(models.map((model) => `${model.id}:${model.status}`)).toEqual([
      'gtcrn:missing',
      'dtln:missing',
      'silero-vad-v5:installed',
      'silero-vad-v6:installed',
      'sense-voice-small:missing',
      'paraformer-zh:missing',
      'whisper-tiny:missing',
      'whisper-base:missing',
      'whisper-small:missing',
      'opus-mt-zh-en:missing',
      'piper-en-us-joe-medium:missing',
      'kokoro-82m:missing',
    ]);
  });
});
