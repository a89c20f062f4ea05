/**
 * PiperEngine on a stand-in graph with Piper's exact signature (input int64 [batch,
 * phonemes], input_lengths int64 [batch], scales float32 [3] → output float32
 * [batch, 1, 1, time]) whose "audio" is the ids it got followed by the three scales, so
 * the test reads back what the engine sent. Also: a model with a wrong input name is
 * refused with every mismatch listed, and the store path without the voice installed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OnnxElementType, OnnxGraphBuilder } from '../../../bench/stand-ins/onnx-graph.js';
import { ModelMismatchError } from '../../../pipeline/engines/onnx-session.js';
import { type Phonemizer, PiperEngine, piperSignature } from '../../../pipeline/engines/tts/piper/piper-engine.js';
import { TtsCancelledError, UnknownVoiceError } from '../../../pipeline/engines/tts/tts-engine.js';
import { BUILTIN_CATALOG, ModelNotInstalledError, openModelStore } from '../../../pipeline/models/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { tempDir } from '../../helpers/model-cache.js';

const SCALES = { noise_scale: 0.5, length_scale: 1.25, noise_w: 0.75 };
const CONFIG = {
  audio: { sample_rate: 16000, quality: 'test' },
  espeak: { voice: 'en-us' },
  inference: SCALES,
  phoneme_type: 'espeak',
  phoneme_id_map: { _: [0], '^': [1], $: [2], ' ': [3], '.': [10], a: [14], b: [15], ə: [59], ˈ: [120] },
  num_speakers: 1,
};

/** A graph with Piper's tensors whose output row is Cast(input) ++ scales. */
function piperStandIn(names: { input?: string; scalesType?: OnnxElementType } = {}): Uint8Array {
  const input = names.input ?? 'input';
  const g = new OnnxGraphBuilder({ name: 'piper_stand_in' });
  g.input(input, 'int64', ['batch_size', 'phonemes']);
  g.input('input_lengths', 'int64', ['batch_size']);
  g.input('scales', names.scalesType ?? 'float32', [3]);
  const ids = g.op('Cast', [input], { to: 1 });
  const scales = g.op('Cast', ['scales'], { to: 1 });
  const scalesRow = g.op('Unsqueeze', [scales, g.constant('axis0', 'int64', [1], [0n])]);
  const row = g.op('Concat', [ids, scalesRow], { axis: 1 });
  g.node('Unsqueeze', [row, g.constant('axes12', 'int64', [2], [1n, 2n])], ['output']);
  g.output('output', 'float32', ['batch_size', 1, 1, 'time']);
  return g.toBytes();
}

/** Reads back [ids…, noise_scale, length_scale, noise_w] from one sentence's stand-in output. */
function decode(samples: Float32Array): { ids: number[]; scales: number[] } {
  const values = Array.from(samples);
  return { ids: values.slice(0, -3), scales: values.slice(-3) };
}

const voice = (rate = 1) => ({ voiceName: 'stand-in-voice', rate, pitch: 1 });

describe('PiperEngine (stand-in graph)', () => {
  let dir: ReturnType<typeof tempDir>;
  let paths: { model: string; config: string };
  const calls: Array<{ text: string; voiceName: string }> = [];
  const phonemize: Phonemizer = async (text, voiceName) => {
    calls.push({ text, voiceName });
    return text === 'two sentences' ? 'ˈab.\nbə.' : 'ˈa bə☃.';
  };

  beforeAll(() => {
    dir = tempDir('piper-engine');
    paths = { model: join(dir.path, 'stand-in-voice.onnx'), config: join(dir.path, 'stand-in-voice.onnx.json') };
    writeFileSync(paths.model, piperStandIn());
    writeFileSync(paths.config, JSON.stringify(CONFIG));
  });
  afterAll(() => dir.remove());

  it("sends the clause's ids with the voice's scales, phonemized in the voice's espeak voice", async () => {
    const { logger, lines } = captureLogger();
    const engine = await PiperEngine.load(paths, { phonemize, logger });
    expect(engine.voiceNames()).toEqual(['stand-in-voice']);
    expect(engine.sampleRateHz).toBe(16000);
    const audio = await engine.synthesizeClause('hello', voice());
    expect(calls.at(-1)).toEqual({ text: 'hello', voiceName: 'en-us' });
    // ^ _ ˈ _ a _ ␠ _ b _ ə _ . _ $   (☃ is not in the map: skipped)
    expect(decode(audio).ids).toEqual([1, 0, 120, 0, 14, 0, 3, 0, 15, 0, 59, 0, 10, 0, 2]);
    expect(decode(audio).scales).toEqual([0.5, 1.25, 0.75]);
    const warning = lines.find((line) => line.msg === 'phonemes not in the voice phoneme_id_map were skipped');
    expect(warning?.missing).toEqual(['U+2603 "☃" ×1']);
    await engine.dispose();
  });

  it('divides length_scale by the rate and leaves the noise scales alone', async () => {
    const engine = await PiperEngine.load(paths, { phonemize });
    expect(decode(await engine.synthesizeClause('x', voice(0.5))).scales).toEqual([0.5, 2.5, 0.75]);
    expect(decode(await engine.synthesizeClause('x', voice(1.25))).scales).toEqual([0.5, 1, 0.75]);
    await expect(engine.synthesizeClause('x', voice(0))).rejects.toThrow(RangeError);
    await engine.dispose();
  });

  it('runs each sentence of the phonemes on its own and joins the audio', async () => {
    const engine = await PiperEngine.load(paths, { phonemize });
    const audio = Array.from(await engine.synthesizeClause('two sentences', voice()));
    const first = [1, 0, 120, 0, 14, 0, 15, 0, 10, 0, 2, 0.5, 1.25, 0.75];
    const second = [1, 0, 15, 0, 59, 0, 10, 0, 2, 0.5, 1.25, 0.75];
    expect(audio).toEqual([...first, ...second]);
    await engine.dispose();
  });

  it('refuses a voice it does not have, and an aborted clause', async () => {
    const engine = await PiperEngine.load(paths, { phonemize });
    await expect(engine.synthesizeClause('x', { ...voice(), voiceName: 'en_GB-alan-low' })).rejects.toThrow(
      UnknownVoiceError,
    );
    const controller = new AbortController();
    controller.abort();
    await expect(engine.synthesizeClause('x', voice(), controller.signal)).rejects.toThrow(TtsCancelledError);
    await engine.dispose();
  });

  it('refuses a model whose inputs are not Piper’s, listing every mismatch', async () => {
    const wrong = join(dir.path, 'wrong.onnx');
    writeFileSync(wrong, piperStandIn({ input: 'text', scalesType: 'int64' }));
    const load = PiperEngine.load({ model: wrong, config: paths.config }, { phonemize });
    await expect(load).rejects.toThrow(ModelMismatchError);
    const message = await load.catch((error: Error) => error.message);
    expect(message).toContain(`${wrong} does not match its engine`);
    expect(message).toContain('missing input "input" (the model has text int64[?,?]');
    expect(message).toContain('input "scales" is int64, expected float32');
  });

  it('expects sid only for multi-speaker voices', () => {
    expect(piperSignature(false).inputs.map((input) => input.name)).toEqual(['input', 'input_lengths', 'scales']);
    expect(piperSignature(true).inputs.map((input) => input.name)).toContain('sid');
  });

  it('from a store without the voice, names the fetch command', async () => {
    const cache = tempDir('piper-empty-cache');
    try {
      const store = openModelStore({ env: {}, cacheDir: cache.path, mirrors: [], catalog: BUILTIN_CATALOG });
      await expect(PiperEngine.load(store, { phonemize })).rejects.toThrow(ModelNotInstalledError);
      await expect(PiperEngine.load(store, { phonemize })).rejects.toThrow(
        'run `collar models fetch piper-en-us-joe-medium`',
      );
    } finally {
      cache.remove();
    }
  });
});
