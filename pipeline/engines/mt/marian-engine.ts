/**
 * Marian opus-mt-zh-en (Xenova's ONNX export, int8) on ONNX Runtime through
 * transformers.js, loaded from the model store only.
 *
 * Loading: `store.resolveModel('opus-mt-zh-en')` gives verified paths (or throws
 * ModelNotInstalledError naming `collar models fetch opus-mt-zh-en`). The store keeps a
 * model's files flat in one folder, and `MarianMTModel.from_pretrained(folder, …)` is
 * pointed straight at it:
 * - the folder is passed as an absolute path, which transformers.js never mistakes for a
 *   hub id (`isValidHfModelId` fails on the leading `/`), so it reads `<folder>/<file>`
 *   directly and `env.localModelPath` never comes into it (setting that global per load
 *   would race between two stores);
 * - `subfolder: ''` (the default is `onnx/`), `dtype: 'q8'` (suffix `_quantized`:
 *   `encoder_model_quantized.onnx`, `decoder_model_merged_quantized.onnx`, see
 *   transformers.js utils/dtypes.js and models/session.js), plus config.json and the
 *   optional generation_config.json from the same folder;
 * - `local_files_only`, `env.allowRemoteModels = false` and `env.useFSCache = false`:
 *   nothing is fetched and nothing is read from transformers.js's own cache, so what runs
 *   is exactly what the store verified.
 * The sessions transformers.js creates are then checked against the Marian signature
 * (marian-signature.ts) before the model is used; a mismatch releases them and throws
 * ModelMismatchError listing every difference in both files.
 *
 * Tokenizing is ours (marian-tokenizer.ts): transformers.js's MarianTokenizer needs a
 * `tokenizer.json`, which the published Marian files do not have.
 *
 * Decoding: beam width 1 is greedy through transformers.js's own `generate` (it applies
 * generation_config.json: `bad_words_ids` = pad, forced eos at the length limit). Beam
 * widths 2–4 use beam-search.ts over the same sessions, because transformers.js 4.3.1's
 * `generate` silently decodes greedily whatever `num_beams` says.
 */

import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../logging/logger.js';
import type { ModelStore } from '../../models/index.js';
import { ort } from '../onnx-session.js';
import { localOnlyTransformers, SerialQueue, type Transformers } from '../transformers-local.js';
import { beamSearch } from './beam-search.js';
import { MarianDecoderStepper } from './marian-decoder.js';
import {
  checkSignatures,
  type MarianDims,
  marianDecoderSignature,
  marianEncoderSignature,
} from './marian-signature.js';
import { MarianTokenizer } from './marian-tokenizer.js';
import { checkBeamWidth } from './mt-engine.js';
import { type SentenceTranslator, Translator, type TranslatorOptions } from './translator.js';

type TransformersModel = Awaited<ReturnType<Transformers['MarianMTModel']['from_pretrained']>>;

export const OPUS_MT_ZH_EN = 'opus-mt-zh-en';
/** transformers.js dtype whose file suffix is `_quantized`. */
const MARIAN_DTYPE = 'q8';
export const MARIAN_ENCODER_FILE = 'encoder_model_quantized.onnx';
export const MARIAN_DECODER_FILE = 'decoder_model_merged_quantized.onnx';
const TOKENIZER_FILES = {
  sourceSpm: 'source.spm',
  targetSpm: 'target.spm',
  vocab: 'vocab.json',
  tokenizerConfig: 'tokenizer_config.json',
  specialTokensMap: 'special_tokens_map.json',
  config: 'config.json',
  generationConfig: 'generation_config.json',
} as const;

const MarianConfig = z.looseObject({
  model_type: z.string().optional(),
  d_model: z.number().int().positive(),
  decoder_layers: z.number().int().positive(),
  decoder_attention_heads: z.number().int().positive(),
  vocab_size: z.number().int().positive(),
  max_length: z.number().int().positive().optional(),
});

export interface MarianModelOptions {
  /** Catalog id (default `opus-mt-zh-en`). */
  modelId?: string;
  logger?: Logger;
  /** Intra-op threads of each ONNX session (default 1, see DESIGN.md principle 6). */
  intraOpThreads?: number;
  /** α in beam search's Σ log p / length^α (default 1). */
  lengthPenalty?: number;
  /** Generation budget for a source of `sourceTokens` ids (eos included); default 2n + 10, at most 256. */
  maxNewTokens?: (sourceTokens: number) => number;
}

export const defaultMaxNewTokens = (sourceTokens: number): number => Math.min(256, 2 * sourceTokens + 10);

function requireFile(paths: Record<string, string>, modelId: string, fileName: string): string {
  const path = paths[fileName];
  if (!path) throw new Error(`the catalog entry for ${modelId} has no ${fileName}, which the Marian engine needs`);
  return path;
}

export class MarianModel implements SentenceTranslator {
  readonly id: string;
  private readonly queue = new SerialQueue();
  private disposed = false;
  private readonly underlineId: number | undefined;

  private constructor(
    id: string,
    private readonly transformers: Transformers,
    private readonly model: TransformersModel,
    readonly tokenizer: MarianTokenizer,
    readonly dims: MarianDims,
    private readonly options: Required<Pick<MarianModelOptions, 'lengthPenalty' | 'maxNewTokens'>> & {
      logger?: Logger;
      maxLength: number;
    },
  ) {
    this.id = id;
    const underline = tokenizer.pieceToId('\u2581');
    this.underlineId = underline === tokenizer.unkTokenId ? undefined : underline;
  }

  static async load(store: ModelStore, options: MarianModelOptions = {}): Promise<MarianModel> {
    const modelId = options.modelId ?? OPUS_MT_ZH_EN;
    const started = performance.now();
    const paths = await store.resolveModel(modelId);
    const encoderPath = requireFile(paths, modelId, MARIAN_ENCODER_FILE);
    const folder = dirname(encoderPath);
    for (const name of [MARIAN_DECODER_FILE, TOKENIZER_FILES.config, TOKENIZER_FILES.generationConfig]) {
      const path = requireFile(paths, modelId, name);
      if (dirname(path) !== folder)
        throw new Error(
          `${modelId}: ${path} is not beside ${encoderPath}; transformers.js loads a model from one folder`,
        );
    }
    const tokenizer = await MarianTokenizer.load({
      sourceSpm: requireFile(paths, modelId, TOKENIZER_FILES.sourceSpm),
      targetSpm: requireFile(paths, modelId, TOKENIZER_FILES.targetSpm),
      vocab: requireFile(paths, modelId, TOKENIZER_FILES.vocab),
      tokenizerConfig: requireFile(paths, modelId, TOKENIZER_FILES.tokenizerConfig),
      config: requireFile(paths, modelId, TOKENIZER_FILES.config),
      generationConfig: requireFile(paths, modelId, TOKENIZER_FILES.generationConfig),
      ...(paths[TOKENIZER_FILES.specialTokensMap] ? { specialTokensMap: paths[TOKENIZER_FILES.specialTokensMap] } : {}),
    });
    const configPath = requireFile(paths, modelId, TOKENIZER_FILES.config);
    const config = MarianConfig.parse(JSON.parse(await readFile(configPath, 'utf8')));
    if (config.d_model % config.decoder_attention_heads !== 0)
      throw new Error(
        `${configPath}: d_model ${config.d_model} is not a multiple of ${config.decoder_attention_heads} heads`,
      );
    const dims: MarianDims = {
      layers: config.decoder_layers,
      heads: config.decoder_attention_heads,
      headDim: config.d_model / config.decoder_attention_heads,
      hidden: config.d_model,
      vocabSize: config.vocab_size,
    };

    const transformers = await localOnlyTransformers();
    const threads = options.intraOpThreads ?? 1;
    const model = await transformers.MarianMTModel.from_pretrained(folder, {
      local_files_only: true,
      subfolder: '',
      dtype: MARIAN_DTYPE,
      device: 'cpu',
      session_options: {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      },
    });
    try {
      const sessions = model.sessions as Record<string, ort.InferenceSession | undefined>;
      const encoder = sessions.model;
      const decoder = sessions.decoder_model_merged;
      if (!encoder || !decoder)
        throw new Error(`transformers.js loaded ${modelId} without an encoder and merged decoder`);
      checkSignatures(`${modelId} (${folder})`, [
        { label: MARIAN_ENCODER_FILE, session: encoder, expected: marianEncoderSignature(dims) },
        { label: MARIAN_DECODER_FILE, session: decoder, expected: marianDecoderSignature(dims) },
      ]);
    } catch (error) {
      await model.dispose();
      throw error;
    }
    options.logger?.info(
      { modelId, folder, threads, loadMs: Math.round(performance.now() - started) },
      'MT model loaded',
    );
    return new MarianModel(modelId, transformers, model, tokenizer, dims, {
      lengthPenalty: options.lengthPenalty ?? 1,
      maxNewTokens: options.maxNewTokens ?? defaultMaxNewTokens,
      maxLength: config.max_length ?? tokenizer.modelMaxLength,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /** One sentence of Chinese → English. Calls run one at a time, in order. */
  translateSentence(sentence: string, options: { beamWidth: number; signal?: AbortSignal }): Promise<string> {
    return this.queue.run(async () => {
      const ids = this.tokenizer.encode(sentence);
      if (!this.hasContent(ids)) {
        this.options.logger?.debug(
          { tokens: ids.length },
          'nothing translatable in the sentence (unknown script only)',
        );
        return '';
      }
      const output = await this.generateIds(ids, options);
      return this.tokenizer.decode(output);
    });
  }

  /**
   * Source ids (ending with eos) → generated target ids, without the decoder start token
   * and eos. Not serialised: `translateSentence` is the entry point that is.
   */
  async generateIds(
    sourceIds: readonly number[],
    options: { beamWidth: number; signal?: AbortSignal; maxNewTokens?: number },
  ): Promise<number[]> {
    if (this.disposed) throw new Error(`MT model ${this.id} has been disposed`);
    const { signal } = options;
    signal?.throwIfAborted();
    const beamWidth = checkBeamWidth(options.beamWidth);
    const ids = this.truncate(sourceIds);
    const maxNewTokens = Math.max(
      1,
      Math.min(options.maxNewTokens ?? this.options.maxNewTokens(ids.length), this.options.maxLength - 1),
    );
    const { eosTokenId } = this.tokenizer;
    const generated =
      beamWidth === 1
        ? await this.greedy(ids, maxNewTokens, signal)
        : await this.beam(ids, beamWidth, maxNewTokens, signal);
    const end = generated.indexOf(eosTokenId);
    return end === -1 ? generated : generated.slice(0, end);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.idle();
    await this.model.dispose();
  }

  private async greedy(ids: readonly number[], maxNewTokens: number, signal?: AbortSignal): Promise<number[]> {
    const { Tensor, InterruptableStoppingCriteria } = this.transformers;
    const inputs = new Tensor(
      'int64',
      BigInt64Array.from(ids, (id) => BigInt(id)),
      [1, ids.length],
    );
    const attentionMask = new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
    const interrupt = new InterruptableStoppingCriteria();
    const onAbort = (): void => interrupt.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const output = await this.model.generate({
        inputs,
        attention_mask: attentionMask,
        max_new_tokens: maxNewTokens,
        num_beams: 1,
        do_sample: false,
        stopping_criteria: [interrupt],
      });
      signal?.throwIfAborted();
      const sequences = output as InstanceType<Transformers['Tensor']>;
      if (!(sequences instanceof Tensor)) throw new Error('generate did not return a tensor of token ids');
      // Row 0 is [decoder_start_token_id, generated…].
      return Array.from(sequences.data as BigInt64Array, (id) => Number(id)).slice(1);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async beam(
    ids: readonly number[],
    beamWidth: number,
    maxNewTokens: number,
    signal?: AbortSignal,
  ): Promise<number[]> {
    const sessions = this.model.sessions as Record<string, ort.InferenceSession>;
    const encoder = sessions.model as ort.InferenceSession;
    const decoder = sessions.decoder_model_merged as ort.InferenceSession;
    const inputIds = new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (id) => BigInt(id)),
      [1, ids.length],
    );
    const attentionMask = new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
    const encoded = await encoder.run({ input_ids: inputIds, attention_mask: attentionMask });
    const hiddenStates = encoded.last_hidden_state;
    if (!hiddenStates) throw new Error('the encoder returned no last_hidden_state');
    signal?.throwIfAborted();
    const stepper = new MarianDecoderStepper(decoder, this.dims, { hiddenStates, attentionMask });
    const [best] = await beamSearch(stepper, {
      beamWidth,
      startTokenId: this.tokenizer.decoderStartTokenId,
      eosTokenId: this.tokenizer.eosTokenId,
      maxNewTokens,
      lengthPenalty: this.options.lengthPenalty,
      suppressTokenIds: [this.tokenizer.padTokenId],
      ...(signal ? { signal } : {}),
    });
    return best?.tokens ?? [];
  }

  /** Whether the source has anything but <unk>, a bare "▁" and eos (else the model would only guess). */
  private hasContent(ids: readonly number[]): boolean {
    const { eosTokenId, unkTokenId } = this.tokenizer;
    return ids.some((id) => id !== eosTokenId && id !== unkTokenId && id !== this.underlineId);
  }

  /** The model has `maxLength` positions; a longer source keeps its start and its eos. */
  private truncate(ids: readonly number[]): readonly number[] {
    const max = this.options.maxLength;
    if (ids.length <= max) return ids;
    this.options.logger?.warn({ tokens: ids.length, max }, 'source sentence too long for the model; truncated');
    return [...ids.slice(0, max - 1), this.tokenizer.eosTokenId];
  }
}

export interface MarianEngineOptions extends MarianModelOptions, TranslatorOptions {}

/** The production MT engine: Marian from the store behind the sentence splitter and cache. */
export async function loadMarianEngine(store: ModelStore, options: MarianEngineOptions = {}): Promise<Translator> {
  const model = await MarianModel.load(store, options);
  return new Translator(model, options);
}
