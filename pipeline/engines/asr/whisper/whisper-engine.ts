/**
 * Whisper (multilingual tiny / base / small; onnx-community's transformers.js exports with
 * int8 weights) as a Mandarin recogniser, through transformers.js with local files only.
 *
 * Loading (`WhisperEngine.load(folder | paths)`, or `fromStore`, which resolves the seven
 * verified files of `whisper-<size>` from the model store and names
 * `collar models fetch whisper-tiny` when none is installed):
 * - config.json, generation_config.json and preprocessor_config.json are read and checked
 *   first (whisper-config.ts); nothing else is loaded if they do not fit;
 * - `WhisperForConditionalGeneration.from_pretrained(folder, …)` with the folder as an
 *   absolute path (never taken for a hub id), `subfolder: ''` (the store keeps the files
 *   flat), `dtype: 'q8'` (suffix `_quantized`: encoder_model_quantized.onnx,
 *   decoder_model_merged_quantized.onnx), `local_files_only`, and transformers.js set to
 *   `allowRemoteModels = false` and no caches: nothing is fetched, what runs is what the
 *   store verified (as marian-engine.ts does);
 * - `WhisperFeatureExtractor` (preprocessor_config.json) and `WhisperTokenizer`
 *   (tokenizer.json + tokenizer_config.json) from the same folder, likewise;
 * - then the sessions transformers.js created are checked against the Whisper signature
 *   (whisper-signature.ts) and the tokenizer against the prompt ids; any mismatch releases
 *   everything and throws one ModelMismatchError listing every difference.
 *
 * Decoding a segment: shorter than 100 ms, or digital silence (no 20 ms frame above
 * `silenceRms`, default 3e-4 ≈ −70 dBFS) → empty text without running the model: Whisper
 * is known to invent text for silence, and its generation config forbids <|endoftext|> as
 * the first token. Otherwise each 30 s window (whisper-audio.ts) → log-mel features →
 * `generate({ language, task: 'transcribe', return_timestamps: false })`, greedy. For a
 * multilingual model transformers.js 4.3.1 builds the prompt itself from
 * generation_config.json (`_retrieve_init_tokens`): decoder_start_token_id
 * (<|startoftranscript|>), lang_to_id["<|zh|>"], task_to_id.transcribe, and
 * no_timestamps_token_id because timestamps are off; `forced_decoder_ids` is ignored. The
 * engine checks the returned sequence starts with exactly that prompt, keeps only text
 * tokens (ids below <|endoftext|>: no special or timestamp tokens), and decodes them with
 * skip_special_tokens. At most 224 new tokens a window (openai/whisper's sample_len).
 *
 * Partials: the RedecodingStream re-decodes the growing segment (the front end is just the
 * accumulated 16 kHz samples). Model calls are serialised across streams.
 */

import { dirname, join, resolve } from 'node:path';
import type { Logger } from '../../../logging/logger.js';
import { ModelNotInstalledError, type ModelStore } from '../../../models/index.js';
import { ModelMismatchError, type ort } from '../../onnx-session.js';
import { localOnlyTransformers, SerialQueue, type Transformers } from '../../transformers-local.js';
import type { AsrEngine, AsrHypothesis, AsrStream, AsrStreamOptions } from '../asr-engine.js';
import { RedecodingStream, type SegmentDecoder } from '../redecoding-stream.js';
import {
  maxFrameRms,
  SampleBuffer,
  splitWindows,
  type WhisperFeatureExtractorLike,
  windowFeatures,
} from './whisper-audio.js';
import { readWhisperConfig, type WhisperModelConfig } from './whisper-config.js';
import { throwIfMismatched, whisperSignatureProblems } from './whisper-signature.js';

type WhisperModel = InstanceType<Transformers['WhisperForConditionalGeneration']>;
type WhisperTokenizer = InstanceType<Transformers['WhisperTokenizer']>;

export const WHISPER_SIZES = ['tiny', 'base', 'small'] as const;
export type WhisperSize = (typeof WHISPER_SIZES)[number];
/** Without a size, the first installed of these is loaded (most accurate first). */
const SIZE_PREFERENCE: readonly WhisperSize[] = ['small', 'base', 'tiny'];
/** The size named when none is installed: the smallest download. */
const DEFAULT_SIZE: WhisperSize = 'tiny';

export const WHISPER_LANGUAGES = ['zh'] as const;
export type WhisperLanguage = (typeof WHISPER_LANGUAGES)[number];

export const whisperModelId = (size: WhisperSize): string => `whisper-${size}`;

/** The files of a Whisper model, as the catalog names them (flat, in one folder). */
export const WHISPER_FILES = {
  encoder: 'encoder_model_quantized.onnx',
  decoder: 'decoder_model_merged_quantized.onnx',
  config: 'config.json',
  generationConfig: 'generation_config.json',
  preprocessorConfig: 'preprocessor_config.json',
  tokenizer: 'tokenizer.json',
  tokenizerConfig: 'tokenizer_config.json',
} as const;

export type WhisperModelPaths = { -readonly [K in keyof typeof WHISPER_FILES]: string };

/** transformers.js dtype whose file suffix is `_quantized`. */
const WHISPER_DTYPE = 'q8';
const SAMPLE_RATE = 16000;
const MIN_SAMPLES = SAMPLE_RATE / 10;
export const DEFAULT_SILENCE_RMS = 3e-4;
/** openai/whisper's sample_len: n_text_ctx // 2. */
const DEFAULT_MAX_NEW_TOKENS = 224;

export interface WhisperOptions {
  /** The language prompt: Mandarin (the only one this engine is set up for). */
  language?: string;
  logger?: Logger;
  /** Intra-op threads of each ONNX session (default 1, see DESIGN.md principle 6). */
  intraOpThreads?: number;
  /** Generated tokens per 30 s window (default 224). */
  maxNewTokens?: number;
  /** A segment with no 20 ms frame above this RMS is silence (default 3e-4; 0 turns the gate off). */
  silenceRms?: number;
  /** Label for logs and errors (default: the folder). */
  modelId?: string;
}

export interface WhisperStoreOptions extends WhisperOptions {
  /** Which model; default: the first installed of small, base, tiny. */
  size?: WhisperSize;
}

function checkLanguage(language: string | undefined): WhisperLanguage {
  const chosen = language ?? 'zh';
  if (!(WHISPER_LANGUAGES as readonly string[]).includes(chosen))
    throw new Error(
      `the Whisper engine transcribes ${WHISPER_LANGUAGES.join(', ')} only (the wearer speaks Mandarin); got language "${chosen}"`,
    );
  return chosen as WhisperLanguage;
}

/** Per-stream state: the samples, and how many windows a warning has been given for. */
interface WhisperFrontEnd {
  samples: SampleBuffer;
  warnedWindows: number;
}

interface Parts {
  modelId: string;
  transformers: Transformers;
  model: WhisperModel;
  tokenizer: WhisperTokenizer;
  extractor: WhisperFeatureExtractorLike;
  config: WhisperModelConfig;
  language: WhisperLanguage;
}

export class WhisperEngine implements AsrEngine, SegmentDecoder<WhisperFrontEnd> {
  readonly id = 'whisper';
  readonly sampleRateHz = SAMPLE_RATE;
  readonly modelId: string;
  readonly language: WhisperLanguage;
  /** The prompt every window is decoded with: <|startoftranscript|> <|zh|> <|transcribe|> <|notimestamps|>. */
  readonly promptIds: readonly number[];
  private readonly transformers: Transformers;
  private readonly model: WhisperModel;
  private readonly tokenizer: WhisperTokenizer;
  private readonly extractor: WhisperFeatureExtractorLike;
  private readonly config: WhisperModelConfig;
  private readonly maxNewTokens: number;
  private readonly silenceRms: number;
  private readonly logger: Logger | undefined;
  private readonly queue = new SerialQueue();
  private disposed = false;

  private constructor(parts: Parts, options: WhisperOptions) {
    this.modelId = parts.modelId;
    this.transformers = parts.transformers;
    this.model = parts.model;
    this.tokenizer = parts.tokenizer;
    this.extractor = parts.extractor;
    this.config = parts.config;
    this.language = parts.language;
    const { prompt } = parts.config;
    this.promptIds = [prompt.startOfTranscript, prompt.language, prompt.transcribe, prompt.noTimestamps];
    this.maxNewTokens = Math.max(
      1,
      Math.min(options.maxNewTokens ?? DEFAULT_MAX_NEW_TOKENS, parts.config.maxTargetPositions - this.promptIds.length),
    );
    this.silenceRms = options.silenceRms ?? DEFAULT_SILENCE_RMS;
    this.logger = options.logger;
  }

  /** Loads the model from a folder holding the seven files, or from their paths (all in one folder). */
  static async load(source: string | WhisperModelPaths, options: WhisperOptions = {}): Promise<WhisperEngine> {
    const started = performance.now();
    const language = checkLanguage(options.language);
    // Absolute: transformers.js would take a relative "a/b" for a hub id under env.localModelPath.
    const paths = typeof source === 'string' ? filesIn(resolve(source)) : resolvePathsOf(source);
    const folder = dirname(paths.encoder);
    for (const [key, name] of Object.entries(WHISPER_FILES)) {
      const path = paths[key as keyof WhisperModelPaths];
      if (path !== join(folder, name))
        throw new Error(`transformers.js loads ${name} from ${folder} (beside ${paths.encoder}), not ${path}`);
    }
    const modelId = options.modelId ?? folder;

    const read = await readWhisperConfig(paths, language);
    throwIfMismatched(`${modelId} (${folder})`, read.problems);
    const config = read.config as WhisperModelConfig;

    const transformers = await localOnlyTransformers();
    const threads = options.intraOpThreads ?? 1;
    const model = (await transformers.WhisperForConditionalGeneration.from_pretrained(folder, {
      local_files_only: true,
      subfolder: '',
      dtype: WHISPER_DTYPE,
      device: 'cpu',
      session_options: {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      },
    })) as WhisperModel;
    try {
      const tokenizer = (await transformers.WhisperTokenizer.from_pretrained(folder, {
        local_files_only: true,
      })) as WhisperTokenizer;
      const extractor = await transformers.WhisperFeatureExtractor.from_pretrained(folder, {
        local_files_only: true,
      });
      const sessions = model.sessions as Record<string, ort.InferenceSession | undefined>;
      const encoder = sessions.model;
      const decoder = sessions.decoder_model_merged;
      if (!encoder || !decoder)
        throw new ModelMismatchError(`transformers.js loaded ${modelId} without an encoder and a merged decoder`);
      const problems = [
        ...whisperSignatureProblems(config.dims, {
          encoder: { label: WHISPER_FILES.encoder, session: encoder },
          decoder: { label: WHISPER_FILES.decoder, session: decoder },
        }),
        ...tokenizerProblems(tokenizer, config, language),
      ];
      throwIfMismatched(`${modelId} (${folder})`, problems);
      options.logger?.info(
        { modelId, folder, threads, language, loadMs: Math.round(performance.now() - started) },
        'ASR model loaded',
      );
      return new WhisperEngine(
        {
          modelId,
          transformers,
          model,
          tokenizer,
          extractor: extractor as unknown as WhisperFeatureExtractorLike,
          config,
          language,
        },
        options,
      );
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /**
   * Loads `whisper-<size>` from the store; without a size, the first installed of small,
   * base and tiny. None installed: the ModelNotInstalledError of whisper-tiny (its message
   * names `collar models fetch whisper-tiny`).
   */
  static async fromStore(store: ModelStore, options: WhisperStoreOptions = {}): Promise<WhisperEngine> {
    const sizes = options.size ? [options.size] : SIZE_PREFERENCE;
    let named: Error | undefined;
    for (const size of sizes) {
      const modelId = whisperModelId(size);
      if (!options.size && !store.catalog.some((spec) => spec.id === modelId)) continue;
      let paths: WhisperModelPaths;
      try {
        paths = await resolvePaths(store, modelId);
      } catch (error) {
        if (!(error instanceof ModelNotInstalledError) || options.size) throw error;
        if (size === DEFAULT_SIZE || !named) named = error;
        continue;
      }
      return WhisperEngine.load(paths, { ...options, modelId });
    }
    throw named ?? new ModelNotInstalledError(whisperModelId(DEFAULT_SIZE), WHISPER_FILES.encoder);
  }

  createStream(options?: AsrStreamOptions): AsrStream {
    return new RedecodingStream(this, this.sampleRateHz, options);
  }

  async transcribe(samples: Float32Array): Promise<AsrHypothesis> {
    const stream = this.createStream({ partialIntervalMs: 0 });
    stream.accept(samples);
    return stream.finish();
  }

  createFrontEnd(): WhisperFrontEnd {
    return { samples: new SampleBuffer(), warnedWindows: 1 };
  }

  accept(frontEnd: WhisperFrontEnd, samples: Float32Array): void {
    frontEnd.samples.append(samples);
  }

  decode(frontEnd: WhisperFrontEnd): Promise<{ text: string; tokenIds: number[] }> {
    // Read before any await: the view keeps showing these samples whatever is appended later.
    const samples = frontEnd.samples.view();
    return this.queue.run(() => this.recognise(samples, frontEnd));
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.idle();
    await this.model.dispose();
  }

  private async recognise(
    samples: Float32Array,
    frontEnd: WhisperFrontEnd,
  ): Promise<{ text: string; tokenIds: number[] }> {
    if (this.disposed) throw new Error(`ASR model ${this.modelId} has been disposed`);
    if (samples.length < MIN_SAMPLES) return { text: '', tokenIds: [] };
    if (this.silenceRms > 0 && maxFrameRms(samples) < this.silenceRms) return { text: '', tokenIds: [] };
    const windows = splitWindows(samples, this.config.windowSamples, MIN_SAMPLES);
    if (windows.length > frontEnd.warnedWindows) {
      frontEnd.warnedWindows = windows.length;
      this.logger?.warn(
        { audioMs: Math.round((samples.length * 1000) / SAMPLE_RATE), windows: windows.length },
        'segment longer than Whisper’s 30 s window: decoded in consecutive 30 s windows',
      );
    }
    const tokenIds: number[] = [];
    for (const window of windows) tokenIds.push(...(await this.decodeWindow(window)));
    const text = tokenIds.length === 0 ? '' : this.tokenizer.decode(tokenIds, { skip_special_tokens: true }).trim();
    // No `language`: Whisper was told the language, it did not report one.
    return { text, tokenIds };
  }

  /** One window → its text token ids (prompt, special and timestamp tokens removed). */
  private async decodeWindow(window: Float32Array): Promise<number[]> {
    const { Tensor } = this.transformers;
    const features = await windowFeatures(
      this.extractor,
      window,
      {
        melBins: this.config.dims.melBins,
        windowFrames: this.config.windowFrames,
        windowSamples: this.config.windowSamples,
      },
      Tensor,
    );
    const output = await this.model.generate({
      inputs: features,
      language: this.language,
      task: 'transcribe',
      return_timestamps: false,
      max_new_tokens: this.maxNewTokens,
      num_beams: 1,
      do_sample: false,
    } as Parameters<WhisperModel['generate']>[0]);
    if (!(output instanceof Tensor)) throw new Error('generate did not return a tensor of token ids');
    const sequence = Array.from(output.data as BigInt64Array, (id) => Number(id));
    const prompt = sequence.slice(0, this.promptIds.length);
    if (prompt.some((id, i) => id !== this.promptIds[i]))
      throw new ModelMismatchError(
        `${this.modelId}: generation started with [${prompt}], not the prompt [${this.promptIds}] from generation_config.json`,
      );
    const endOfText = this.config.prompt.endOfText;
    return sequence.slice(this.promptIds.length).filter((id) => id < endOfText);
  }
}

function filesIn(folder: string): WhisperModelPaths {
  return Object.fromEntries(
    Object.entries(WHISPER_FILES).map(([key, name]) => [key, join(folder, name)]),
  ) as WhisperModelPaths;
}

async function resolvePaths(store: ModelStore, modelId: string): Promise<WhisperModelPaths> {
  const paths: Partial<WhisperModelPaths> = {};
  for (const [key, name] of Object.entries(WHISPER_FILES))
    paths[key as keyof WhisperModelPaths] = await store.resolveFile(modelId, name);
  return paths as WhisperModelPaths;
}

function resolvePathsOf(paths: WhisperModelPaths): WhisperModelPaths {
  return Object.fromEntries(Object.entries(paths).map(([key, path]) => [key, resolve(path)])) as WhisperModelPaths;
}

/** The tokenizer must give the prompt tokens the ids generation_config.json forces, and have no special token below <|endoftext|>. */
function tokenizerProblems(tokenizer: WhisperTokenizer, config: WhisperModelConfig, language: string): string[] {
  const problems: string[] = [];
  const { prompt, dims } = config;
  const expected: Array<[token: string, id: number]> = [
    ['<|endoftext|>', prompt.endOfText],
    ['<|startoftranscript|>', prompt.startOfTranscript],
    [`<|${language}|>`, prompt.language],
    ['<|transcribe|>', prompt.transcribe],
    ['<|notimestamps|>', prompt.noTimestamps],
  ];
  for (const [token, id] of expected) {
    const got = tokenizer.convert_tokens_to_ids(token) as unknown as number | undefined;
    if (got !== id)
      problems.push(
        `${WHISPER_FILES.tokenizer}: "${token}" is ${got ?? 'missing'}, but generation_config.json uses ${id}`,
      );
  }
  const belowEndOfText = tokenizer.all_special_ids.filter((id: number) => id < prompt.endOfText);
  if (belowEndOfText.length > 0)
    problems.push(
      `${WHISPER_FILES.tokenizer}: special tokens below <|endoftext|> (${belowEndOfText.slice(0, 5).join(', ')}): not a Whisper vocabulary`,
    );
  const largest = Math.max(...expected.map(([, id]) => id));
  if (largest >= dims.vocabSize)
    problems.push(`config.json: vocab_size ${dims.vocabSize} does not cover the prompt id ${largest}`);
  return problems;
}
