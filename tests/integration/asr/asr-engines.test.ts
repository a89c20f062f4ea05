/**
 * SenseVoice and Paraformer end to end through the model store, on stand-in graphs with
 * the real models' tensor names, dtypes, shapes and metadata keys (the real weights cannot
 * be downloaded here; see tests/helpers/asr-test-graphs.ts for what the stand-ins say).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectedParaformerText,
  expectedSenseVoiceText,
  lfrFramesFor,
  writeParaformerStandIn,
  writeSenseVoiceStandIn,
} from '../../../bench/stand-ins/asr-stand-ins.js';
import type { AsrHypothesis } from '../../../pipeline/engines/asr/asr-engine.js';
import { loadAsrEngine } from '../../../pipeline/engines/asr/load-asr-engine.js';
import { ParaformerEngine } from '../../../pipeline/engines/asr/paraformer-engine.js';
import { SenseVoiceEngine } from '../../../pipeline/engines/asr/sense-voice-engine.js';
import { ModelMismatchError } from '../../../pipeline/engines/onnx-session.js';
import { BUILTIN_CATALOG, ModelNotInstalledError, openModelStore } from '../../../pipeline/models/index.js';
import { tempDir } from '../../helpers/model-cache.js';
import { publishToMirror } from '../../helpers/stand-in-catalog.js';

const work = tempDir('asr-engines');
afterAll(() => work.remove());

function subdir(name: string): string {
  const path = join(work.path, name);
  mkdirSync(path, { recursive: true });
  return path;
}

/** Loud broadband noise: every frame is "speech" to the stand-ins. */
function loudNoise(sampleCount: number, seed = 1): Float32Array {
  const samples = new Float32Array(sampleCount);
  let state = seed;
  for (let i = 0; i < sampleCount; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    samples[i] = (state / 2 ** 31 - 0.5) * 0.5;
  }
  return samples;
}

function storeWith(...specs: Parameters<typeof publishToMirror>[]) {
  const mirror = subdir(`mirror-${Math.random().toString(36).slice(2)}`);
  const standIns = specs.map(([, id, task, files]) => publishToMirror(mirror, id, task, files));
  const catalog = [...BUILTIN_CATALOG.filter((spec) => !standIns.some((s) => s.id === spec.id)), ...standIns];
  return openModelStore({
    env: {},
    cacheDir: subdir(`cache-${Math.random().toString(36).slice(2)}`),
    mirrors: [mirror],
    catalog,
  });
}

describe('SenseVoice engine', () => {
  const paths = writeSenseVoiceStandIn(subdir('sense-voice'));

  it('recognises through the store: prompt ids from the metadata, LFR frames, greedy CTC, tokens → text', async () => {
    const store = storeWith(['', 'sense-voice-small', 'asr', [paths.model, paths.tokens]]);
    await store.fetch('sense-voice-small');
    const engine = await loadAsrEngine('sense-voice', store);
    try {
      const samples = loudNoise(2 * 16000);
      const result = await engine.transcribe(samples);
      expect(result.text).toBe(expectedSenseVoiceText(lfrFramesFor(samples.length)));
      expect(result).toMatchObject({ language: 'zh', isFinal: true, audioMs: 2000 });
    } finally {
      await engine.dispose();
    }
  });

  it('sends the language prompt it was asked for', async () => {
    const engine = await SenseVoiceEngine.load(paths, { language: 'en' });
    try {
      expect((await engine.transcribe(loudNoise(16000))).language).toBe('en');
    } finally {
      await engine.dispose();
    }
  });

  it('gives an empty result, not an exception, for silence, empty and too-short audio', async () => {
    const engine = await SenseVoiceEngine.load(paths);
    try {
      for (const samples of [new Float32Array(32000), new Float32Array(0), loudNoise(500)]) {
        expect((await engine.transcribe(samples)).text).toBe('');
      }
    } finally {
      await engine.dispose();
    }
  });

  it('streams: partials grow with the segment and the final covers all of it', async () => {
    const engine = await SenseVoiceEngine.load(paths);
    try {
      const partials: AsrHypothesis[] = [];
      const stream = engine.createStream({ partialIntervalMs: 400, onPartial: (h) => partials.push(h) });
      const samples = loudNoise(3 * 16000);
      for (let start = 0; start < samples.length; start += 320) {
        stream.accept(samples.subarray(start, start + 320));
        await stream.idle();
      }
      const final = await stream.finish();
      expect(partials.map((p) => p.audioMs)).toEqual([400, 800, 1200, 1600, 2000, 2400, 2800]);
      for (const partial of partials) {
        expect(partial.text).toBe(expectedSenseVoiceText(lfrFramesFor((partial.audioMs * 16000) / 1000)));
        expect(final.text.startsWith(partial.text)).toBe(true);
      }
      expect(final.text).toBe(expectedSenseVoiceText(lfrFramesFor(samples.length)));
    } finally {
      await engine.dispose();
    }
  });

  it('refuses a model whose inputs do not match, listing the mismatch', async () => {
    const bad = writeSenseVoiceStandIn(subdir('sense-voice-bad'), { xLengthType: 'int64' });
    await expect(SenseVoiceEngine.load(bad)).rejects.toThrow(ModelMismatchError);
    await expect(SenseVoiceEngine.load(bad)).rejects.toThrow(/input "x_length" is int64, expected int32/);
  });

  it('refuses a model without the front-end metadata, naming the key', async () => {
    const bad = writeSenseVoiceStandIn(subdir('sense-voice-no-cmvn'), { dropMetadata: 'neg_mean' });
    await expect(SenseVoiceEngine.load(bad)).rejects.toThrow(/metadata "neg_mean" is missing/);
  });

  it('refuses a token table from another release', async () => {
    const other = writeParaformerStandIn(subdir('paraformer-for-tokens'));
    await expect(SenseVoiceEngine.load({ model: paths.model, tokens: other.tokens })).rejects.toThrow(
      /has \d+ tokens but .* says vocab_size \d+/,
    );
  });

  it('names the fetch command when the model is not installed', async () => {
    const store = openModelStore({ env: {}, cacheDir: subdir('empty-cache'), mirrors: [] });
    await expect(loadAsrEngine('sense-voice', store)).rejects.toThrow(ModelNotInstalledError);
    await expect(loadAsrEngine('auto', store)).rejects.toThrow(/collar models fetch sense-voice-small/);
  });
});

describe('Paraformer engine', () => {
  const paths = writeParaformerStandIn(subdir('paraformer'));

  it('recognises through the store, stopping at </s>', async () => {
    const store = storeWith(['', 'paraformer-zh', 'asr', [paths.model, paths.tokens]]);
    await store.fetch('paraformer-zh');
    // auto falls through to Paraformer when SenseVoice is not installed.
    const engine = await loadAsrEngine('auto', store);
    try {
      expect(engine.id).toBe('paraformer');
      const samples = loudNoise(5 * 16000);
      expect((await engine.transcribe(samples)).text).toBe(expectedParaformerText(lfrFramesFor(samples.length)));
      expect((await engine.transcribe(new Float32Array(16000))).text).toBe('');
      expect((await engine.transcribe(new Float32Array(0))).text).toBe('');
    } finally {
      await engine.dispose();
    }
  });

  it('refuses a model without the "speech" input, listing what it has', async () => {
    const bad = writeParaformerStandIn(subdir('paraformer-bad'), { speechInputName: 'feats' });
    await expect(ParaformerEngine.load(bad)).rejects.toThrow(/missing input "speech" \(the model has feats float32/);
  });
});
