/**
 * GTCRN and RNNoise on the real DNS-Challenge pairs: enhancement measured as SI-SDR,
 * time alignment, signature checks, and the fallback when GTCRN is not installed.
 * Figures for the note come from `collar bench frontend`; thresholds live here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsPairs, firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { readPipelineWav } from '../../../device/audio/read-pipeline-wav.js';
import { denoiseSignal } from '../../../pipeline/engines/denoise/block-denoiser.js';
import { GtcrnEngine } from '../../../pipeline/engines/denoise/gtcrn-engine.js';
import { loadDenoiseEngine } from '../../../pipeline/engines/denoise/load-denoise-engine.js';
import { RnnoiseEngine } from '../../../pipeline/engines/denoise/rnnoise-engine.js';
import { ModelMismatchError } from '../../../pipeline/engines/onnx-session.js';
import { siSdrDb } from '../../../pipeline/metrics/si-sdr.js';
import { ModelIntegrityError, ModelNotInstalledError } from '../../../pipeline/models/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { storeWithGtcrn, storeWithoutDownloads } from '../../helpers/frontend-models.js';

const DTLN_MODEL = `${SHARED_PATHS.modelsDir}/dtln/model_1.onnx`;
const missing = firstMissing([SHARED_PATHS.gtcrnModel, SHARED_PATHS.noiseDir, DTLN_MODEL]);
if (missing) console.warn(`skipping denoise engine tests: ${missing} is missing (../shared not present)`);

async function loadPairs() {
  return Promise.all(
    dnsPairs().map(async (pair) => ({
      id: pair.id,
      clean: (await readPipelineWav(pair.cleanPath)).samples,
      noisy: (await readPipelineWav(pair.noisyPath)).samples,
    })),
  );
}

/** The lag (in samples) at which `output` best matches `reference`. */
function bestLag(reference: Float32Array, output: Float32Array, maxLag: number): number {
  let best = { lag: 0, score: Number.NEGATIVE_INFINITY };
  const length = reference.length - maxLag;
  for (let lag = 0; lag <= maxLag; lag++) {
    const score = siSdrDb(reference.subarray(0, length), output.subarray(lag, lag + length));
    if (score > best.score) best = { lag, score };
  }
  return best.lag;
}

describe.skipIf(missing !== undefined)('denoise engines on real recordings', () => {
  let gtcrn: { store: Awaited<ReturnType<typeof storeWithGtcrn>>['store']; remove(): void };
  let pairs: Awaited<ReturnType<typeof loadPairs>>;
  beforeAll(async () => {
    gtcrn = await storeWithGtcrn();
    pairs = await loadPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => gtcrn?.remove());

  it('GTCRN improves SI-SDR by at least 3 dB on average over the DNS pairs, and on every pair', async () => {
    const engine = await loadDenoiseEngine('gtcrn', gtcrn.store);
    const gains: number[] = [];
    for (const { clean, noisy } of pairs) {
      engine.reset();
      gains.push(siSdrDb(clean, await denoiseSignal(engine, noisy)) - siSdrDb(clean, noisy));
    }
    await engine.close();
    expect(gains.reduce((a, b) => a + b, 0) / gains.length).toBeGreaterThanOrEqual(3);
    for (const gain of gains) expect(gain).toBeGreaterThan(0);
  });

  it('RNNoise (embedded fallback) improves SI-SDR on average, and its declared latency is the real one', async () => {
    const engine = await RnnoiseEngine.load();
    const gains: number[] = [];
    for (const { clean, noisy } of pairs) {
      engine.reset();
      gains.push(siSdrDb(clean, await denoiseSignal(engine, noisy)) - siSdrDb(clean, noisy));
    }
    expect(gains.reduce((a, b) => a + b, 0) / gains.length).toBeGreaterThan(1);
    // Undo the alignment and find the lag by correlation: it must equal latencySamples.
    const pair = pairs.find((p) => p.id === '0016') ?? pairs[0];
    if (!pair) throw new Error('no DNS pair');
    engine.reset();
    const aligned = await denoiseSignal(engine, pair.noisy);
    expect(bestLag(pair.clean, aligned, 40)).toBeLessThanOrEqual(2);
    await engine.close();
  });

  it('GTCRN output is time-aligned with its input (declared latency is the real one)', async () => {
    const engine = await GtcrnEngine.load(await gtcrn.store.resolveFile('gtcrn', 'gtcrn_simple.onnx'));
    const pair = pairs[0];
    if (!pair) throw new Error('no DNS pair');
    expect(bestLag(pair.clean, await denoiseSignal(engine, pair.noisy), 40)).toBeLessThanOrEqual(1);
    await engine.close();
  });

  it('refuses a model whose tensors are not GTCRN’s, listing what differs', async () => {
    const failure = await GtcrnEngine.load(DTLN_MODEL).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelMismatchError);
    expect(String((failure as Error).message)).toMatch(/missing input "mix"/);
    expect(String((failure as Error).message)).toMatch(/missing output "enh"/);
  });

  it('auto falls back to RNNoise when GTCRN is not installed, saying how to install it; an explicit gtcrn does not', async () => {
    const empty = storeWithoutDownloads();
    const { logger, lines } = captureLogger('warn');
    const engine = await loadDenoiseEngine('auto', empty.store, logger);
    expect(engine.name).toBe('rnnoise');
    await engine.close();
    expect(lines.map((line) => String(line.msg)).join('\n')).toMatch(/collar models fetch gtcrn/);
    await expect(loadDenoiseEngine('gtcrn', empty.store)).rejects.toBeInstanceOf(ModelNotInstalledError);
    empty.remove();
  });

  it('auto also falls back when the installed GTCRN file is corrupt, naming it; an explicit gtcrn refuses it', async () => {
    const corrupt = await storeWithGtcrn();
    const path = await corrupt.store.resolveFile('gtcrn', 'gtcrn_simple.onnx');
    const bytes = readFileSync(path);
    bytes[1_000] = (bytes[1_000] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);
    const { logger, lines } = captureLogger('warn');
    const engine = await loadDenoiseEngine('auto', corrupt.store, logger);
    expect(engine.name).toBe('rnnoise');
    await engine.close();
    expect(lines.map((line) => String(line.msg)).join('\n')).toMatch(/gtcrn_simple\.onnx .*corrupt/);
    await expect(loadDenoiseEngine('gtcrn', corrupt.store)).rejects.toBeInstanceOf(ModelIntegrityError);
    corrupt.remove();
  });
});
