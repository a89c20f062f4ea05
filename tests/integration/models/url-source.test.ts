/**
 * Fetching over real HTTP from a loopback server: success, redirects, and each way a
 * download goes wrong. After every failure the cache holds nothing but, where allowed, a
 * resumable partial; the file's own path never holds an unverified byte.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelSourceError, type ModelSpec, openModelStore } from '../../../pipeline/models/index.js';
import {
  type Fixture,
  type FixtureServer,
  makeFixture,
  startFixtureServer,
} from '../../helpers/fixture-http-server.js';
import { filesUnder, oneFileSpec, tempDir } from '../../helpers/model-cache.js';

const FILE = 'weights.bin';
let server: FixtureServer;
let fixture: Fixture;
let cache: ReturnType<typeof tempDir>;

beforeAll(async () => {
  server = await startFixtureServer();
  fixture = makeFixture(256 * 1024);
});
afterAll(() => server.close());
beforeEach(() => {
  cache = tempDir('model-cache');
  server.routes.clear();
  server.requests.length = 0;
});
afterEach(() => cache.remove());

function storeFor(urls: string[], options: { httpTimeoutMs?: number } = {}) {
  const spec: ModelSpec = oneFileSpec(
    'tiny',
    { name: FILE, sizeBytes: fixture.sizeBytes, sha256: fixture.sha256 },
    urls.map((url) => ({ kind: 'url', url })),
  );
  return openModelStore({ env: {}, cacheDir: cache.path, mirrors: [], catalog: [spec], ...options });
}

async function fetchError(store: ReturnType<typeof storeFor>): Promise<ModelSourceError> {
  const error = await store.fetch('tiny').then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelSourceError);
  return error as ModelSourceError;
}

describe('URL sources over loopback HTTP', () => {
  it('downloads, verifies and installs atomically, then resolves without the network', async () => {
    server.routes.set('/w.bin', { kind: 'file', body: fixture.body });
    const store = storeFor([server.url('/w.bin')]);
    const events: string[] = [];
    const result = await store.fetch('tiny', { onProgress: (event) => events.push(event.type) });
    const path = join(cache.path, 'tiny', FILE);
    expect(result.files).toEqual([{ fileName: FILE, path, action: 'fetched', from: server.url('/w.bin') }]);
    expect(readFileSync(path).equals(fixture.body)).toBe(true);
    expect(filesUnder(cache.path)).toEqual(['tiny/.weights.bin.stamp.json', 'tiny/weights.bin']);
    expect(events[0]).toBe('start');
    expect(events.at(-1)).toBe('done');

    await server.close().then(async () => {
      // resolveFile must not need the server; a fresh one takes its place for the other tests.
      expect(await store.resolveFile('tiny', FILE)).toBe(path);
      server = await startFixtureServer();
    });
    const again = await storeFor(['http://127.0.0.1:9/unused']).fetch('tiny');
    expect(again.files[0]?.action).toBe('present');
  });

  it('follows redirects', async () => {
    server.routes.set('/moved', { kind: 'redirect', to: '/moved-again', status: 301 });
    server.routes.set('/moved-again', { kind: 'redirect', to: `${server.baseUrl}/w.bin` });
    server.routes.set('/w.bin', { kind: 'file', body: fixture.body });
    await storeFor([server.url('/moved')]).fetch('tiny');
    expect(server.requests.map((request) => request.status)).toEqual([301, 302, 200]);
    expect(statSync(join(cache.path, 'tiny', FILE)).size).toBe(fixture.sizeBytes);
  });

  it('names a 404 and an unreachable host, tries the next source, and leaves nothing behind', async () => {
    const store = storeFor(['http://127.0.0.1:9/refused.bin', server.url('/missing.bin')]);
    const error = await fetchError(store);
    expect(error.message).toMatch(/could not fetch tiny\/weights\.bin from any source/);
    expect(error.message).toMatch(/127\.0\.0\.1:9\/refused\.bin: unreachable: .*ECONNREFUSED/);
    expect(error.message).toMatch(/\/missing\.bin: HTTP 404 Not Found/);
    expect(error.message).toMatch(/run `collar models fetch tiny` again/);
    expect(error.failures[0]?.attempts).toHaveLength(2);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('refuses a truncated file and falls back to the next source', async () => {
    server.routes.set('/short.bin', { kind: 'file', body: fixture.body.subarray(0, 1000) });
    server.routes.set('/w.bin', { kind: 'file', body: fixture.body });
    const result = await storeFor([server.url('/short.bin'), server.url('/w.bin')]).fetch('tiny');
    expect(result.files[0]?.from).toBe(server.url('/w.bin'));

    cache.remove();
    const error = await fetchError(storeFor([server.url('/short.bin')]));
    expect(error.message).toMatch(/server sends 1000 bytes, expected 262144 \(the file there is truncated/);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('discards a download whose sha256 is wrong', async () => {
    const wrong = Buffer.from(fixture.body);
    wrong[1234] = (wrong[1234] ?? 0) ^ 0xff;
    server.routes.set('/wrong.bin', { kind: 'file', body: wrong });
    const error = await fetchError(storeFor([server.url('/wrong.bin')]));
    expect(error.message).toContain(`expected ${fixture.sha256}; the download was discarded`);
    expect(filesUnder(cache.path)).toEqual([]);
  });

  it('resumes a download cut off mid-body with a Range request', async () => {
    server.routes.set('/w.bin', { kind: 'cut', body: fixture.body, cutAfterBytes: 100_000, times: 1 });
    await storeFor([server.url('/w.bin')]).fetch('tiny');
    expect(server.requests).toEqual([
      { path: '/w.bin', status: 200, bodyBytes: 100_000 },
      { path: '/w.bin', range: 'bytes=100000-', status: 206, bodyBytes: fixture.sizeBytes - 100_000 },
    ]);
    expect(readFileSync(join(cache.path, 'tiny', FILE)).equals(fixture.body)).toBe(true);
    expect(filesUnder(cache.path)).toEqual(['tiny/.weights.bin.stamp.json', 'tiny/weights.bin']);
  });

  it('restarts cleanly when the server ignores Range', async () => {
    server.routes.set('/w.bin', { kind: 'cut', body: fixture.body, cutAfterBytes: 100_000, times: 1, ranges: false });
    await storeFor([server.url('/w.bin')]).fetch('tiny');
    expect(server.requests.map(({ range, status }) => ({ range, status }))).toEqual([
      { range: undefined, status: 200 },
      { range: 'bytes=100000-', status: 200 },
    ]);
    expect(readFileSync(join(cache.path, 'tiny', FILE)).equals(fixture.body)).toBe(true);
  });

  it('keeps a partial when every attempt is cut off, and the next fetch continues it', async () => {
    server.routes.set('/w.bin', { kind: 'cut', body: fixture.body, cutAfterBytes: 50_000, times: 3 });
    const error = await fetchError(storeFor([server.url('/w.bin')]));
    expect(error.message).toMatch(/download cut off after 150000 of 262144 bytes/);
    expect(filesUnder(cache.path)).toEqual(['tiny/.weights.bin.partial', 'tiny/.weights.bin.partial.json']);
    expect(statSync(join(cache.path, 'tiny', '.weights.bin.partial')).size).toBe(150_000);
    expect(existsSync(join(cache.path, 'tiny', FILE))).toBe(false);

    const listing = await storeFor([server.url('/w.bin')]).list();
    expect(listing[0]?.files[0]?.state).toBe('partial');

    server.requests.length = 0;
    await storeFor([server.url('/w.bin')]).fetch('tiny');
    expect(server.requests).toEqual([
      { path: '/w.bin', range: 'bytes=150000-', status: 206, bodyBytes: fixture.sizeBytes - 150_000 },
    ]);
    expect(readFileSync(join(cache.path, 'tiny', FILE)).equals(fixture.body)).toBe(true);
    expect(filesUnder(cache.path)).toEqual(['tiny/.weights.bin.stamp.json', 'tiny/weights.bin']);
  });

  it('times out a stalled server and says so', async () => {
    server.routes.set('/stall.bin', { kind: 'stall', body: fixture.body });
    const started = Date.now();
    const error = await fetchError(storeFor([server.url('/stall.bin')], { httpTimeoutMs: 300 }));
    expect(error.message).toMatch(/no data for 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    // 1024 bytes arrived: kept for a resume, nothing else.
    expect(filesUnder(cache.path)).toEqual(['tiny/.weights.bin.partial', 'tiny/.weights.bin.partial.json']);
  });
});
