/** The built-in catalog, COLLAR_MODEL_CATALOG overrides, cache and mirror locations, plain progress lines. */
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILTIN_CATALOG,
  CatalogError,
  defaultCacheDir,
  ModelSpec,
  mergeCatalogs,
  mirrorRoots,
  openModelStore,
  plainLineReporter,
  readCatalogFile,
} from '../../../pipeline/models/index.js';
import { tempDir } from '../../helpers/model-cache.js';

describe('built-in catalog', () => {
  it('every entry is a valid ModelSpec with unique ids', () => {
    for (const spec of BUILTIN_CATALOG) expect(ModelSpec.safeParse(spec).error).toBeUndefined();
    expect(new Set(BUILTIN_CATALOG.map((spec) => spec.id)).size).toBe(BUILTIN_CATALOG.length);
  });

  it('pins gtcrn to the shared mirror first, then its public home', () => {
    const gtcrn = BUILTIN_CATALOG.find((spec) => spec.id === 'gtcrn');
    expect(gtcrn?.files).toEqual([
      {
        name: 'gtcrn_simple.onnx',
        sizeBytes: 535190,
        sha256: 'b4718df6228e7bdf1a8a435cf98f838636eb2fd331acabf86ba87c5192ebcb87',
        sources: [
          { kind: 'mirror', path: 'gtcrn/gtcrn_simple.onnx' },
          { kind: 'url', url: 'https://github.com/Xiaobin-Rong/gtcrn/raw/main/stream/onnx_models/gtcrn_simple.onnx' },
        ],
      },
    ]);
  });

  it('loads Silero VAD from the pinned npm package before any URL', () => {
    for (const id of ['silero-vad-v5', 'silero-vad-v6']) {
      const source = BUILTIN_CATALOG.find((spec) => spec.id === id)?.files[0]?.sources[0];
      expect(source).toMatchObject({ kind: 'npm', package: '@ricky0123/vad-web', version: '0.0.31' });
    }
  });
});

describe('ModelSpec validation', () => {
  const base = {
    id: 'x',
    task: 'vad',
    description: '',
    license: 'MIT',
    files: [{ name: 'a.onnx', sizeBytes: 1, sha256: 'a'.repeat(64), sources: [{ kind: 'mirror', path: 'x/a.onnx' }] }],
  };
  const withFile = (patch: Record<string, unknown>) => ({ ...base, files: [{ ...base.files[0], ...patch }] });

  it.each([
    ['a file name that escapes the cache folder', withFile({ name: '../a.onnx' })],
    ['a hidden file name (the store keeps its own files hidden)', withFile({ name: '.a.onnx' })],
    ['a mirror path with ..', withFile({ sources: [{ kind: 'mirror', path: '../etc/passwd' }] })],
    ['a non-http URL', withFile({ sources: [{ kind: 'url', url: 'file:///etc/passwd' }] })],
    ['an upper-case sha256', withFile({ sha256: 'A'.repeat(64) })],
    ['a file with no sources', withFile({ sources: [] })],
    ['an unknown source kind', withFile({ sources: [{ kind: 'ftp', path: 'a' }] })],
    ['duplicate file names', { ...base, files: [base.files[0], base.files[0]] }],
  ])('refuses %s', (_what, entry) => {
    expect(ModelSpec.safeParse(entry).success).toBe(false);
  });
});

describe('COLLAR_MODEL_CATALOG', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('catalog');
  });
  afterEach(() => dir.remove());

  const entry = (id: string) => ({
    id,
    task: 'asr',
    description: 'test',
    license: 'MIT',
    files: [
      { name: 'm.onnx', sizeBytes: 5, sha256: 'b'.repeat(64), sources: [{ kind: 'url', url: 'http://127.0.0.1:1/m' }] },
    ],
  });

  it('adds new entries and replaces ones with the same id', () => {
    const file = join(dir.path, 'catalog.json');
    writeFileSync(file, JSON.stringify([entry('gtcrn'), entry('extra')]));
    const store = openModelStore({ env: { COLLAR_MODEL_CATALOG: file }, cacheDir: dir.path });
    expect(store.catalog.map((spec) => spec.id)).toEqual([...BUILTIN_CATALOG.map((spec) => spec.id), 'extra']);
    expect(store.catalog.filter((spec) => spec.id === 'gtcrn')).toHaveLength(1);
    expect(store.spec('gtcrn').task).toBe('asr');
    expect(mergeCatalogs(BUILTIN_CATALOG, [])).toEqual(BUILTIN_CATALOG);
  });

  it('names the file, the entry and the field that is wrong', () => {
    const file = join(dir.path, 'catalog.json');
    writeFileSync(file, JSON.stringify([entry('ok'), { ...entry('broken'), task: 'sing' }]));
    expect(() => readCatalogFile(file)).toThrow(CatalogError);
    expect(() => readCatalogFile(file)).toThrow(/catalog\.json: entry 1 \("broken"\): task: /);
    writeFileSync(file, '{ not json');
    expect(() => readCatalogFile(file)).toThrow(/COLLAR_MODEL_CATALOG .*catalog\.json: .*JSON/);
    writeFileSync(file, '{}');
    expect(() => readCatalogFile(file)).toThrow(/expected a JSON array of model entries/);
    expect(() => readCatalogFile(join(dir.path, 'absent.json'))).toThrow(/ENOENT/);
  });
});

describe('locations', () => {
  it('cache: COLLAR_MODEL_CACHE, else XDG_CACHE_HOME/collar/models, else ~/.cache/collar/models', () => {
    expect(defaultCacheDir({ COLLAR_MODEL_CACHE: 'rel/cache', XDG_CACHE_HOME: '/xdg' })).toBe(resolve('rel/cache'));
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/collar/models');
    expect(defaultCacheDir({})).toBe(join(homedir(), '.cache', 'collar', 'models'));
  });

  it('mirrors: COLLAR_MODEL_MIRROR, colon-separated, resolved, empty parts ignored', () => {
    expect(mirrorRoots({ COLLAR_MODEL_MIRROR: '../shared/models::/srv/mirror' })).toEqual([
      resolve('../shared/models'),
      '/srv/mirror',
    ]);
    expect(mirrorRoots({})).toEqual([]);
  });
});

describe('plain progress lines (not a terminal)', () => {
  it('prints one line per source tried and one per outcome, none per chunk', () => {
    const out = new PassThrough();
    const reporter = plainLineReporter(out);
    const base = { modelId: 'gtcrn', fileName: 'gtcrn_simple.onnx', sizeBytes: 535190 };
    reporter.onProgress({ ...base, type: 'start', from: 'mirror /m/gtcrn/gtcrn_simple.onnx' });
    reporter.onProgress({ ...base, type: 'bytes', receivedBytes: 1000 });
    reporter.onProgress({ ...base, type: 'failed', from: 'mirror /m/gtcrn/gtcrn_simple.onnx', reason: 'not found' });
    reporter.onProgress({ ...base, type: 'done', from: 'https://h/x', path: '/c/gtcrn/gtcrn_simple.onnx' });
    reporter.stop();
    expect(String(out.read()).split('\n')).toEqual([
      'fetching gtcrn/gtcrn_simple.onnx from mirror /m/gtcrn/gtcrn_simple.onnx (535190 bytes)',
      'gtcrn/gtcrn_simple.onnx: mirror /m/gtcrn/gtcrn_simple.onnx failed: not found',
      'gtcrn/gtcrn_simple.onnx: 535190 bytes ok (size and sha256 verified) -> /c/gtcrn/gtcrn_simple.onnx',
      '',
    ]);
  });
});
