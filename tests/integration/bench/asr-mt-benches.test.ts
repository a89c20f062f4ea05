/**
 * `collar bench asr` and `collar bench mt` on this machine, where the real recogniser and
 * MT weights are not installed: each says so, measures the labelled stand-in instead, and
 * ends with one line of JSON holding the figures.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';

const missing = firstMissing([
  join(SHARED_PATHS.mandarinDir, 'refs.tsv'),
  join(SHARED_PATHS.modelsDir, 'opus-mt-zh-en-tokenizer', 'source.spm'),
]);
if (missing) console.warn(`skipping the asr/mt bench runs: ${missing} is missing (../shared not present)`);

const cache = tempDir('bench-text');
afterAll(() => cache.remove());
const env = { COLLAR_MODEL_CACHE: cache.path, COLLAR_MODEL_MIRROR: '' };

function lastJsonLine(stdout: string): Record<string, unknown> {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

describe.skipIf(missing !== undefined)('ASR and MT benches', () => {
  it('bench asr: not-installed engines listed with their fetch command, stand-ins measured and labelled', () => {
    const result = runCollar(['bench', 'asr', '--scale', '0.2'], env, 120_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/collar models fetch sense-voice-small/);
    expect(result.stdout).toMatch(/sense-voice STAND-IN .* 10 s/);
    const figures = lastJsonLine(result.stdout);
    const standIn = figures['paraformer STAND-IN'] as { utterances: Record<string, { partials: number; rtf: number }> };
    expect(Object.keys(standIn.utterances)).toEqual(['2s', '5s', '10s']);
    // One partial per 400 ms of audio while it is fed.
    expect(standIn.utterances['5s']?.partials).toBe(12);
    expect(standIn.utterances['10s']?.rtf).toBeGreaterThan(0);
  });

  it('bench mt: phrasebook threshold measured, text parts timed, Marian stand-in labelled', () => {
    const result = runCollar(['bench', 'mt', '--scale', '0.34'], env, 120_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/opus-mt-zh-en STAND-IN .*beam 4/);
    const figures = lastJsonLine(result.stdout) as {
      phrasebookThreshold: { inUse: number; chosenByMeasurement: number };
      'opus-mt-zh-en STAND-IN': { beam1MsPerSentenceP50: number; translations: Record<string, string> };
      targetsMet: boolean;
    };
    expect(figures.phrasebookThreshold.chosenByMeasurement).toBe(figures.phrasebookThreshold.inUse);
    expect(figures['opus-mt-zh-en STAND-IN'].beam1MsPerSentenceP50).toBeGreaterThan(0);
    expect(Object.keys(figures['opus-mt-zh-en STAND-IN'].translations)).toHaveLength(8);
    expect(figures.targetsMet).toBe(true);
  });
});
