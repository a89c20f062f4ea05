/**
 * KokoroEngine on a stand-in graph with the real export's tensors (tokens int64
 * [1, sequence_length], style float32 [1, 256], speed float32 [1] → audio float32
 * [audio_length]) whose "audio" is the tokens it got, then the speed, then the style, so
 * the test reads back what the engine sent: pads, vocabulary ids, the style row for the
 * length, rate as speed, the espeak voice per accent, long clauses split. The stand-in is
 * also split into parts and joined through the store path's checks; a misnamed input is
 * refused.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../../bench/stand-ins/onnx-graph.js';
import { ModelMismatchError } from '../../../pipeline/engines/onnx-session.js';
import {
  KOKORO_SAMPLE_RATE_HZ,
  KokoroEngine,
  type KokoroModelPaths,
  type Phonemizer,
} from '../../../pipeline/engines/tts/kokoro/kokoro-engine.js';
import { TtsCancelledError, UnknownVoiceError } from '../../../pipeline/engines/tts/tts-engine.js';
import {
  BUILTIN_CATALOG,
  ModelIntegrityError,
  ModelNotInstalledError,
  type ModelSpec,
  openModelStore,
} from '../../../pipeline/models/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { tempDir } from '../../helpers/model-cache.js';

const STYLE = 256;
/** Entries of Kokoro-82M's config.json vocab, as published. */
const VOCAB = { '.': 4, ' ': 16, a: 43, b: 44, d: 46, k: 53, ɑ: 69, ð: 81, ə: 83, ɹ: 123, ˈ: 156, ː: 158 };

/** audio = float(tokens) ++ speed ++ style, under the real export's names. */
function kokoroStandIn(tokensName = 'tokens'): Uint8Array {
  const g = new OnnxGraphBuilder({ name: 'kokoro_stand_in' });
  g.input(tokensName, 'int64', [1, 'sequence_length']);
  g.input('style', 'float32', [1, STYLE]);
  g.input('speed', 'float32', [1]);
  const flat = g.constant('flat', 'int64', [1], [-1n]);
  const tokens = g.op('Cast', [g.op('Reshape', [tokensName, flat])], { to: 1 });
  const style = g.op('Reshape', ['style', flat]);
  g.node('Concat', [tokens, 'speed', style], ['audio'], { axis: 0 });
  g.output('audio', 'float32', ['audio_length']);
  return g.toBytes();
}

/** A voice whose row r is filled with `base + r`, so a style tells which row was sent. */
function voiceBytes(base: number): Uint8Array {
  const rows = new Float32Array(510 * STYLE).map((_, i) => base + Math.floor(i / STYLE));
  return new Uint8Array(rows.buffer);
}

interface Sent {
  tokens: number[];
  speed: number;
  styleRow: number;
}

/** Splits the stand-in's joined output back into the calls that made it. */
function decodeCalls(audio: Float32Array, base: number): Sent[] {
  const values = Array.from(audio);
  const calls: Sent[] = [];
  let start = 0;
  while (start < values.length) {
    // Each call: 0, ids…, 0, speed, 256 style values. The closing pad is the first 0 after the opening one.
    const close = values.indexOf(0, start + 1);
    const tokens = values.slice(start, close + 1);
    const speed = values[close + 1] as number;
    const style = values.slice(close + 2, close + 2 + STYLE);
    expect(new Set(style).size).toBe(1);
    calls.push({ tokens, speed, styleRow: (style[0] as number) - base });
    start = close + 2 + STYLE;
  }
  return calls;
}

const AF_BASE = 1000;
const BF_BASE = 2000;

describe('KokoroEngine (stand-in graph)', () => {
  let dir: ReturnType<typeof tempDir>;
  let paths: KokoroModelPaths;
  const calls: Array<{ text: string; voiceName: string }> = [];
  let reply = 'ðə dˈɑːk.';
  const phonemize: Phonemizer = async (text, voiceName) => {
    calls.push({ text, voiceName });
    return reply;
  };

  beforeAll(() => {
    dir = tempDir('kokoro-engine');
    const at = (name: string) => join(dir.path, name);
    writeFileSync(at('model.onnx'), kokoroStandIn());
    writeFileSync(at('config.json'), JSON.stringify({ n_token: 178, vocab: VOCAB }));
    writeFileSync(at('af_test.bin'), voiceBytes(AF_BASE));
    writeFileSync(at('bf_test.bin'), voiceBytes(BF_BASE));
    paths = { model: at('model.onnx'), config: at('config.json'), voices: [at('af_test.bin'), at('bf_test.bin')] };
  });
  afterAll(() => dir.remove());

  it('sends the ids wrapped in pads, the style row for their count, and the rate as speed', async () => {
    const engine = await KokoroEngine.load(paths, { phonemize });
    expect(engine.sampleRateHz).toBe(KOKORO_SAMPLE_RATE_HZ);
    expect(engine.voiceNames()).toEqual(['af_test', 'bf_test']);
    reply = 'ðə dˈɑːk.';
    const audio = await engine.synthesizeClause('the dock.', { voiceName: 'af_test', rate: 0.85, pitch: 1 });
    expect(calls.at(-1)).toEqual({ text: 'the dock.', voiceName: 'en-us' });
    // ð81 ə83 ␠16 d46 ˈ156 ɑ69 ː158 k53 .4 → 9 phonemes → style row 8
    const [call, ...more] = decodeCalls(audio, AF_BASE);
    expect(more).toEqual([]);
    expect(call?.tokens).toEqual([0, 81, 83, 16, 46, 156, 69, 158, 53, 4, 0]);
    expect(call?.speed).toBeCloseTo(0.85, 6);
    expect(call?.styleRow).toBe(8);
    await engine.dispose();
  });

  it('phonemizes British voices in en-gb and applies the Kokoro fixes', async () => {
    const engine = await KokoroEngine.load(paths, { phonemize });
    reply = 'rab';
    const audio = await engine.synthesizeClause('rub', { voiceName: 'bf_test', rate: 1, pitch: 1 });
    expect(calls.at(-1)?.voiceName).toBe('en-gb');
    const [call] = decodeCalls(audio, BF_BASE);
    expect(call?.tokens).toEqual([0, 123, 43, 44, 0]); // r → ɹ
    expect(call?.styleRow).toBe(2);
    await engine.dispose();
  });

  it('splits a clause longer than 510 phonemes into calls, each with its own style row', async () => {
    const engine = await KokoroEngine.load(paths, { phonemize });
    reply = Array.from({ length: 150 }, () => 'bab').join(' '); // 599 phonemes
    const audio = await engine.synthesizeClause('long', { voiceName: 'af_test', rate: 1, pitch: 1 });
    const sent = decodeCalls(audio, AF_BASE);
    expect(sent.length).toBe(2);
    for (const call of sent) {
      expect(call.tokens.length - 2).toBeLessThanOrEqual(510);
      expect(call.styleRow).toBe(call.tokens.length - 3);
      expect(call.tokens.slice(1, 4)).toEqual([44, 43, 44]);
    }
    expect(sent.reduce((sum, call) => sum + call.tokens.length - 2, 0)).toBe(598); // one space dropped at the cut
    await engine.dispose();
  });

  it('logs phonemes the vocabulary lacks once, and drops them', async () => {
    const { logger, lines } = captureLogger();
    const engine = await KokoroEngine.load(paths, { phonemize, logger });
    reply = 'a☃b';
    expect(await engine.tokenIds('x', 'af_test')).toEqual([43, 44]);
    expect(await engine.tokenIds('x', 'af_test')).toEqual([43, 44]);
    const warnings = lines.filter((line) => line.msg === 'phonemes not in the Kokoro vocabulary were dropped');
    expect(warnings.map((line) => line.missing)).toEqual([['"☃" ×1']]);
    await engine.dispose();
  });

  it('refuses unknown voices, non-English voices, and aborted clauses', async () => {
    const engine = await KokoroEngine.load(paths, { phonemize });
    await expect(engine.synthesizeClause('x', { voiceName: 'am_adam', rate: 1, pitch: 1 })).rejects.toThrow(
      /Kokoro voice "am_adam" is not loaded; loaded: af_test, bf_test/,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(
      engine.synthesizeClause('x', { voiceName: 'af_test', rate: 1, pitch: 1 }, controller.signal),
    ).rejects.toThrow(TtsCancelledError);
    await engine.dispose();
    await expect(KokoroEngine.load(paths, { phonemize, voices: ['af_missing'] })).rejects.toThrow(UnknownVoiceError);
    const japanese = join(dir.path, 'jf_test.bin');
    writeFileSync(japanese, voiceBytes(0));
    await expect(KokoroEngine.load({ ...paths, voices: [japanese] }, { phonemize })).rejects.toThrow(
      /"jf_test" is not English/,
    );
  });

  it('refuses a model whose inputs are not the kokoro-onnx export’s', async () => {
    const wrong = join(dir.path, 'input-ids.onnx');
    writeFileSync(wrong, kokoroStandIn('input_ids'));
    await expect(KokoroEngine.load({ ...paths, model: wrong }, { phonemize })).rejects.toThrow(ModelMismatchError);
    await expect(KokoroEngine.load({ ...paths, model: wrong }, { phonemize })).rejects.toThrow(
      /missing input "tokens" \(the model has input_ids int64\[1,\?\]/,
    );
  });

  describe('through the store, from parts', () => {
    const bytes = Buffer.from(kokoroStandIn());
    const third = Math.ceil(bytes.length / 3);
    const partBytes = [0, 1, 2].map((i) => bytes.subarray(i * third, (i + 1) * third));
    const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
    const whole = { name: 'stand-in.onnx', sizeBytes: bytes.length, sha256: sha(bytes) };
    let mirror: ReturnType<typeof tempDir>;
    let cache: ReturnType<typeof tempDir>;

    function spec(parts: Buffer[]): ModelSpec {
      const file = (name: string, data: Uint8Array) => ({
        name,
        sizeBytes: data.length,
        sha256: sha(data),
        sources: [{ kind: 'mirror' as const, path: `kokoro-stand-in/${name}` }],
      });
      return {
        id: 'kokoro-stand-in',
        task: 'tts',
        description: 'stand-in',
        license: 'MIT',
        files: [
          ...parts.map((data, i) => file(`stand-in.onnx.part${i + 1}`, data)),
          file('config.json', Buffer.from(JSON.stringify({ vocab: VOCAB }))),
          file('af_test.bin', voiceBytes(AF_BASE)),
        ],
      };
    }

    beforeAll(() => {
      mirror = tempDir('kokoro-mirror');
      cache = tempDir('kokoro-cache');
      const folder = join(mirror.path, 'kokoro-stand-in');
      mkdirSync(folder);
      for (const entry of spec(partBytes).files) {
        const data = entry.name.endsWith('.bin')
          ? voiceBytes(AF_BASE)
          : entry.name === 'config.json'
            ? Buffer.from(JSON.stringify({ vocab: VOCAB }))
            : (partBytes[Number(entry.name.slice(-1)) - 1] as Buffer);
        writeFileSync(join(folder, entry.name), data);
      }
    });
    afterAll(() => {
      mirror.remove();
      cache.remove();
    });

    it('joins the verified parts, checks the whole, and speaks', async () => {
      const store = openModelStore({
        env: {},
        cacheDir: cache.path,
        mirrors: [mirror.path],
        catalog: [spec(partBytes)],
      });
      await store.fetch('kokoro-stand-in');
      const engine = await KokoroEngine.load(store, { modelId: 'kokoro-stand-in', wholeFile: whole, phonemize });
      reply = 'ab';
      const [call] = decodeCalls(
        await engine.synthesizeClause('ab', { voiceName: 'af_test', rate: 1, pitch: 1 }),
        AF_BASE,
      );
      expect(call?.tokens).toEqual([0, 43, 44, 0]);
      await engine.dispose();
    });

    it('refuses parts that do not make the published whole', async () => {
      const store = openModelStore({
        env: {},
        cacheDir: cache.path,
        mirrors: [mirror.path],
        catalog: [spec(partBytes)],
      });
      const other = { ...whole, sha256: '0'.repeat(64) };
      await expect(
        KokoroEngine.load(store, { modelId: 'kokoro-stand-in', wholeFile: other, phonemize }),
      ).rejects.toThrow(ModelIntegrityError);
    });

    it('from a store without the model, names the fetch command', async () => {
      const empty = tempDir('kokoro-empty');
      try {
        const store = openModelStore({ env: {}, cacheDir: empty.path, mirrors: [], catalog: BUILTIN_CATALOG });
        await expect(KokoroEngine.load(store, { phonemize })).rejects.toThrow(ModelNotInstalledError);
        await expect(KokoroEngine.load(store, { phonemize })).rejects.toThrow('run `collar models fetch kokoro-82m`');
      } finally {
        empty.remove();
      }
    });
  });
});
