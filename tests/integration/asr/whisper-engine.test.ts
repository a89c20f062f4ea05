/**
 * The Whisper engine end to end through the production path (model store → transformers.js
 * WhisperForConditionalGeneration, WhisperFeatureExtractor and WhisperTokenizer with local
 * files only → signature check → generate with the forced zh prompt → text tokens), on the
 * whisper-tiny stand-in (bench/stand-ins/whisper-stand-ins.ts): graphs with the real
 * tensor names, types and shapes, and labelled stand-ins of the five JSON files. The
 * stand-in decoder spells a known Mandarin script, one token per half second of loud
 * audio, and only when it sees <|startoftranscript|> <|zh|> <|transcribe|> <|notimestamps|>.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedWhisperText,
  OTHER_SCRIPT,
  WHISPER_IDS,
  type WhisperStandInOptions,
  type WhisperStandInPaths,
  whisperDecoderGraph,
  whisperEncoderGraph,
  writeWhisperStandIn,
  ZH_PROMPT,
} from '../../../bench/stand-ins/whisper-stand-ins.js';
import { floatToInt16 } from '../../../device/audio/sample-convert.js';
import { writeWav16 } from '../../../device/audio/wav-file.js';
import type { AsrHypothesis } from '../../../pipeline/engines/asr/asr-engine.js';
import { loadAsrEngine } from '../../../pipeline/engines/asr/load-asr-engine.js';
import { WhisperEngine } from '../../../pipeline/engines/asr/whisper/whisper-engine.js';
import { ModelMismatchError, type ort } from '../../../pipeline/engines/onnx-session.js';
import {
  BUILTIN_CATALOG,
  ModelNotInstalledError,
  type ModelStore,
  openModelStore,
} from '../../../pipeline/models/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';
import { publishToMirror, writeCatalogFile } from '../../helpers/stand-in-catalog.js';

const work = tempDir('whisper-engine');
afterAll(() => work.remove());
let dirs = 0;
function subdir(name: string): string {
  const path = join(work.path, `${name}-${dirs++}`);
  mkdirSync(path, { recursive: true });
  return path;
}

function standIn(options: WhisperStandInOptions = {}): WhisperStandInPaths {
  return writeWhisperStandIn(subdir('model'), options);
}

/** Loud noise: every 20 ms of it is "speech" to the stand-in. */
function loudNoise(sampleCount: number, amplitude = 0.25, seed = 1): Float32Array {
  const samples = new Float32Array(sampleCount);
  let state = seed;
  for (let i = 0; i < sampleCount; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    samples[i] = (state / 2 ** 31 - 0.5) * 2 * amplitude;
  }
  return samples;
}

/** whisper-tiny published to a mirror as the given files, under a catalog pinned to them. */
function publish(paths: WhisperStandInPaths): { mirror: string; catalog: ReturnType<typeof publishToMirror>[] } {
  const mirror = subdir('mirror');
  const spec = publishToMirror(mirror, 'whisper-tiny', 'asr', Object.values(paths));
  return { mirror, catalog: [...BUILTIN_CATALOG.filter((entry) => entry.id !== spec.id), spec] };
}

function decoderSession(engine: WhisperEngine): ort.InferenceSession {
  const model = (engine as unknown as { model: { sessions: Record<string, ort.InferenceSession> } }).model;
  return model.sessions.decoder_model_merged as ort.InferenceSession;
}

/** Records the input_ids of every decoder call. */
function recordDecoderInputs(engine: WhisperEngine): { calls: number[][]; restore(): void } {
  const session = decoderSession(engine);
  const original = session.run.bind(session);
  const calls: number[][] = [];
  session.run = ((feeds: Record<string, ort.Tensor>, ...rest: unknown[]) => {
    calls.push(Array.from(feeds.input_ids?.data as BigInt64Array, (id) => Number(id)));
    return (original as (...args: unknown[]) => Promise<ort.InferenceSession.ReturnType>)(feeds, ...rest);
  }) as typeof session.run;
  return { calls, restore: () => Object.assign(session, { run: original }) };
}

describe('Whisper engine on the whisper-tiny stand-in', () => {
  const paths = standIn();
  let engine: WhisperEngine;
  beforeAll(async () => {
    engine = await WhisperEngine.load(join(paths.encoder, '..'));
  });
  afterAll(async () => {
    await engine?.dispose();
  });

  it('recognises through the store: verified files, transformers.js, the zh prompt, text tokens → text', async () => {
    const { mirror, catalog } = publish(paths);
    const log = captureLogger();
    const store = openModelStore({ env: {}, cacheDir: subdir('cache'), mirrors: [mirror], catalog });
    await store.fetch('whisper-tiny');
    const loaded = await loadAsrEngine('whisper', store, { language: 'zh', logger: log.logger });
    try {
      expect(loaded.id).toBe('whisper');
      expect(loaded).toBeInstanceOf(WhisperEngine);
      expect((loaded as WhisperEngine).modelId).toBe('whisper-tiny');
      const samples = loudNoise(3 * 16000);
      const result = await loaded.transcribe(samples);
      expect(result).toMatchObject({ text: '宝宝，该睡觉了。', isFinal: true, audioMs: 3000 });
      expect(result.text).toBe(expectedWhisperText(samples.length));
      expect(result.tokenIds).toEqual([41001, 41002, 41003, 41004, 41005, 41006]);
      expect(log.lines.find((line) => line.msg === 'ASR model loaded')).toMatchObject({
        modelId: 'whisper-tiny',
        language: 'zh',
      });
    } finally {
      await loaded.dispose();
    }
  });

  it('loads through a COLLAR_MODEL_CATALOG entry pinned to the files, as a user with the files would', async () => {
    const { mirror, catalog } = publish(paths);
    const catalogFile = writeCatalogFile(
      join(subdir('catalog'), 'catalog.json'),
      catalog.filter((entry) => entry.id === 'whisper-tiny'),
    );
    const store = openModelStore({
      env: { COLLAR_MODEL_CATALOG: catalogFile },
      cacheDir: subdir('cache'),
      mirrors: [mirror],
    });
    await store.fetch('whisper-tiny');
    const loaded = await WhisperEngine.fromStore(store, { size: 'tiny' });
    try {
      expect((await loaded.transcribe(loudNoise(16000))).text).toBe(expectedWhisperText(16000));
    } finally {
      await loaded.dispose();
    }
  });

  it('prompts every window with <|startoftranscript|> <|zh|> <|transcribe|> <|notimestamps|>', async () => {
    expect(engine.promptIds).toEqual([...ZH_PROMPT]);
    const recorder = recordDecoderInputs(engine);
    try {
      await engine.transcribe(loudNoise(16000));
    } finally {
      recorder.restore();
    }
    // The prompt at once, then one token a step; the tokens fed back are the script's.
    expect(recorder.calls[0]).toEqual([...ZH_PROMPT]);
    expect(recorder.calls.slice(1)).toEqual([[41001], [41002]]);
  });

  it('gives different text when the decoder expects another language id (the prompt really reaches it)', async () => {
    const other = await WhisperEngine.load(
      standIn({
        decoder: whisperDecoderGraph({
          expectedPrompt: [
            WHISPER_IDS.startOfTranscript,
            WHISPER_IDS.en,
            WHISPER_IDS.transcribe,
            WHISPER_IDS.noTimestamps,
          ],
        }),
      }),
    );
    try {
      expect((await other.transcribe(loudNoise(3 * 16000))).text).toBe(expectedWhisperText(48000, OTHER_SCRIPT));
      expect(expectedWhisperText(48000, OTHER_SCRIPT)).toBe('good night baby. see you');
    } finally {
      await other.dispose();
    }
  });

  it('gives empty text, not an exception, for empty, too short and silent audio', async () => {
    const recorder = recordDecoderInputs(engine);
    try {
      for (const samples of [new Float32Array(0), loudNoise(800), new Float32Array(32000), loudNoise(32000, 1e-4)]) {
        expect((await engine.transcribe(samples)).text).toBe('');
      }
      // None of those reached the model: under 100 ms, or no 20 ms frame above −70 dBFS.
      expect(recorder.calls).toEqual([]);
      // Quiet noise is decoded; the model hears no speech and gives no text tokens (its
      // <|endoftext|> is suppressed on the first step, so it says <|0.00|> first).
      const quiet = await engine.transcribe(loudNoise(32000, 0.0015));
      expect(quiet).toMatchObject({ text: '', tokenIds: [] });
      expect(recorder.calls[0]).toEqual([...ZH_PROMPT]);
      expect(recorder.calls.slice(1)).toEqual([[WHISPER_IDS.firstTimestamp]]);
    } finally {
      recorder.restore();
    }
  });

  it('streams: partials re-decode the growing segment and the final covers all of it', async () => {
    const partials: AsrHypothesis[] = [];
    const stream = engine.createStream({ partialIntervalMs: 400, onPartial: (h) => partials.push(h) });
    const samples = loudNoise(3 * 16000);
    for (let start = 0; start < samples.length; start += 320) {
      stream.accept(samples.subarray(start, start + 320));
      await stream.idle();
    }
    const final = await stream.finish();
    expect(partials.map((p) => p.audioMs)).toEqual([400, 800, 1200, 1600, 2000, 2400, 2800]);
    expect(partials.map((p) => p.text)).toEqual([
      '',
      '宝宝',
      '宝宝，',
      '宝宝，该',
      '宝宝，该睡觉',
      '宝宝，该睡觉',
      '宝宝，该睡觉了',
    ]);
    for (const partial of partials) {
      expect(partial.isFinal).toBe(false);
      expect(partial.text).toBe(expectedWhisperText((partial.audioMs * 16000) / 1000));
      expect(final.text.startsWith(partial.text)).toBe(true);
    }
    expect(final).toMatchObject({ text: expectedWhisperText(samples.length), isFinal: true, audioMs: 3000 });
  });

  it('decodes a segment longer than 30 s in 30 s windows, with a warning', async () => {
    const log = captureLogger();
    const long = await WhisperEngine.load(paths, { logger: log.logger });
    try {
      const samples = loudNoise(33 * 16000);
      const result = await long.transcribe(samples);
      expect(result.text).toBe('宝宝，该睡觉了。我们去刷牙吧。宝宝，该睡觉了。');
      expect(result.text).toBe(expectedWhisperText(samples.length));
      expect(log.lines.filter((line) => line.level === 40)).toEqual([
        expect.objectContaining({ windows: 2, audioMs: 33000 }),
      ]);
    } finally {
      await long.dispose();
    }
  });

  it('refuses a model whose inputs are renamed or retyped, listing every difference', async () => {
    const bad = standIn({
      encoder: whisperEncoderGraph({ retype: { input_features: 'int64' } }),
      decoder: whisperDecoderGraph({
        rename: { encoder_hidden_states: 'encoder_outputs' },
        retype: { use_cache_branch: 'int64' },
      }),
    });
    const error = await WhisperEngine.load(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelMismatchError);
    const message = (error as Error).message;
    expect(message).toContain('does not match the Whisper engine');
    expect(message).toContain('encoder_model_quantized.onnx: input "input_features" is int64, expected float32');
    expect(message).toMatch(
      /decoder_model_merged_quantized\.onnx: missing input "encoder_hidden_states" \(it has input_ids int64\[batch_size,decoder_sequence_length\], encoder_outputs float32/,
    );
    expect(message).toContain('decoder_model_merged_quantized.onnx: input "use_cache_branch" is int64, expected bool');
    expect(message).toContain('decoder_model_merged_quantized.onnx: unexpected input "encoder_outputs"');
  });

  it('refuses a model whose logits or dimensions do not fit config.json', async () => {
    const bad = standIn({ decoder: whisperDecoderGraph({ logitsWidth: 51864 }), config: { decoder_layers: 5 } });
    const error = await WhisperEngine.load(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelMismatchError);
    expect((error as Error).message).toContain('output "logits" dimension 2 is 51864 where 51865 is expected');
    expect((error as Error).message).toContain('missing input "past_key_values.4.decoder.key"');
  });

  it('refuses a tokenizer whose prompt ids disagree with generation_config.json', async () => {
    const bad = standIn({ generationConfig: { task_to_id: { transcribe: 50358, translate: 50359 } } });
    await expect(WhisperEngine.load(bad)).rejects.toThrow(
      /tokenizer\.json: "<\|transcribe\|>" is 50359, but generation_config\.json uses 50358/,
    );
  });

  it('loads from a relative folder, and refuses files that are not side by side under their names', async () => {
    const relativeEngine = await WhisperEngine.load(relative(process.cwd(), join(paths.encoder, '..')));
    try {
      expect((await relativeEngine.transcribe(loudNoise(16000))).text).toBe(expectedWhisperText(16000));
    } finally {
      await relativeEngine.dispose();
    }
    const elsewhere = standIn();
    await expect(WhisperEngine.load({ ...paths, tokenizer: elsewhere.tokenizer })).rejects.toThrow(
      /transformers\.js loads tokenizer\.json from .* \(beside .*encoder_model_quantized\.onnx\), not .*tokenizer\.json/,
    );
  });

  it('transcribes Mandarin only', async () => {
    await expect(WhisperEngine.load(paths, { language: 'en' })).rejects.toThrow(
      /transcribes zh only .* got language "en"/,
    );
  });
});

describe('Whisper from the model store', () => {
  let store: ModelStore;
  beforeAll(() => {
    store = openModelStore({ env: {}, cacheDir: subdir('empty-cache'), mirrors: [] });
  });

  it('names `collar models fetch whisper-tiny` when no Whisper model is installed', async () => {
    await expect(loadAsrEngine('whisper', store)).rejects.toThrow(ModelNotInstalledError);
    await expect(loadAsrEngine('whisper', store)).rejects.toThrow(/run `collar models fetch whisper-tiny`/);
    await expect(WhisperEngine.fromStore(store, { size: 'base' })).rejects.toThrow(/collar models fetch whisper-base/);
    // auto still names the default recogniser when nothing at all is installed.
    await expect(loadAsrEngine('auto', store)).rejects.toThrow(/collar models fetch sense-voice-small/);
  });

  it('auto falls through to Whisper when it is the only recogniser installed; another language is refused', async () => {
    const { mirror, catalog } = publish(standIn());
    const withWhisper = openModelStore({ env: {}, cacheDir: subdir('cache'), mirrors: [mirror], catalog });
    await withWhisper.fetch('whisper-tiny');
    const engine = await loadAsrEngine('auto', withWhisper);
    try {
      expect(engine.id).toBe('whisper');
      expect((await engine.transcribe(loudNoise(32000))).text).toBe(expectedWhisperText(32000));
    } finally {
      await engine.dispose();
    }
    await expect(loadAsrEngine('whisper', withWhisper, { language: 'en' })).rejects.toThrow(/transcribes zh only/);
  });
});

describe('collar transcribe --engine whisper', () => {
  it('prints the recognised text from the installed stand-in', () => {
    const { mirror, catalog } = publish(standIn());
    const dir = subdir('cli');
    const env = {
      COLLAR_MODEL_CACHE: join(dir, 'cache'),
      COLLAR_MODEL_MIRROR: mirror,
      COLLAR_MODEL_CATALOG: writeCatalogFile(
        join(dir, 'catalog.json'),
        catalog.filter((entry) => entry.id === 'whisper-tiny'),
      ),
    };
    const wav = join(dir, 'speech.wav');
    const samples = loudNoise(2 * 16000);
    const pcm = new Int16Array(samples.length);
    floatToInt16(samples, pcm);
    writeWav16(wav, pcm, 16000);

    const missing = runCollar(['transcribe', '--engine', 'whisper', '--in', wav], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/collar models fetch whisper-tiny/);

    expect(runCollar(['models', 'fetch', 'whisper-tiny'], env).code).toBe(0);
    const result = runCollar(['transcribe', '--engine', 'whisper', '--in', wav], env);
    expect(result.stderr).toMatch(/whisper: 2\.00 s of audio decoded in \d+ ms\n/);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${expectedWhisperText(samples.length)}\n`);
  }, 120_000);
});
