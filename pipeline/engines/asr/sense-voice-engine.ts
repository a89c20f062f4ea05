/**
 * SenseVoice-small (the sherpa-onnx int8 export): a non-autoregressive CTC model. The
 * input is the FunASR front end's 560-dim LFR frames; four prompt ids (language, and
 * whether to apply inverse text normalisation) are passed as extra inputs and the model
 * prepends four output frames for them; their tokens (language, emotion, event, ITN) we read for
 * the language and skip for the text. Greedy CTC with blank 0, as sherpa-onnx decodes it.
 */
import type { Logger } from 'pino';
import type { ModelStore } from '../../models/index.js';
import { readOnnxMetadata } from '../onnx-metadata.js';
import {
  checkModelSignature,
  createSingleThreadSession,
  type ExpectedTensor,
  ModelMismatchError,
  ort,
} from '../onnx-session.js';
import type { AsrEngine, AsrHypothesis, AsrStream, AsrStreamOptions } from './asr-engine.js';
import { ctcGreedyDecode } from './ctc-greedy.js';
import type { KaldiFbank } from './features/kaldi-fbank.js';
import {
  createFunasrFbank,
  type FunasrFrontEndConfig,
  funasrFrontEndConfig,
  funasrModelInput,
  OnlineFbank,
  requireIntMetadata,
} from './funasr-front-end.js';
import { RedecodingStream, type SegmentDecoder } from './redecoding-stream.js';
import { TokenTable } from './token-table.js';

export const SENSE_VOICE_MODEL = {
  modelId: 'sense-voice-small',
  model: 'model.int8.onnx',
  tokens: 'tokens.txt',
} as const;

export const SENSE_VOICE_SIGNATURE: { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] } = {
  inputs: [
    { name: 'x', shape: [null, null, 560], type: 'float32' },
    { name: 'x_length', shape: [null], type: 'int32' },
    { name: 'language', shape: [null], type: 'int32' },
    { name: 'text_norm', shape: [null], type: 'int32' },
  ],
  outputs: [{ name: 'logits', shape: [null, null, null], type: 'float32' }],
};

/** Decoded tokens the model spends answering its prompt (language, emotion, event, ITN). */
const PROMPT_TOKENS = 4;
const BLANK_ID = 0;

export const SENSE_VOICE_LANGUAGES = ['auto', 'zh', 'en', 'yue', 'ja', 'ko'] as const;
export type SenseVoiceLanguage = (typeof SENSE_VOICE_LANGUAGES)[number];

export interface SenseVoiceOptions {
  /** The language prompt; Mandarin by default (the wearer speaks it). */
  language?: SenseVoiceLanguage;
  /** Inverse text normalisation: punctuation and digits in the output. */
  withItn?: boolean;
}

export class SenseVoiceEngine implements AsrEngine, SegmentDecoder<OnlineFbank> {
  readonly id = 'sense-voice';
  readonly sampleRateHz = 16000;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokens: TokenTable,
    private readonly frontEnd: FunasrFrontEndConfig,
    private readonly fbank: KaldiFbank,
    private readonly languageId: number,
    private readonly textNormId: number,
  ) {}

  static async load(
    paths: { model: string; tokens: string },
    options: SenseVoiceOptions = {},
  ): Promise<SenseVoiceEngine> {
    const metadata = readOnnxMetadata(paths.model);
    const frontEnd = funasrFrontEndConfig(metadata, paths.model);
    const languageId = requireIntMetadata(metadata, `lang_${options.language ?? 'zh'}`, paths.model);
    const textNormId = requireIntMetadata(
      metadata,
      options.withItn === false ? 'without_itn' : 'with_itn',
      paths.model,
    );
    const tokens = TokenTable.load(paths.tokens, 'sentencepiece');
    const vocabSize = requireIntMetadata(metadata, 'vocab_size', paths.model);
    if (vocabSize !== tokens.size) {
      throw new ModelMismatchError(
        `${paths.tokens} has ${tokens.size} tokens but ${paths.model} says vocab_size ${vocabSize}: they are not from the same release`,
      );
    }
    const session = await createSingleThreadSession(paths.model);
    checkModelSignature(session, paths.model, SENSE_VOICE_SIGNATURE);
    return new SenseVoiceEngine(session, tokens, frontEnd, createFunasrFbank(frontEnd), languageId, textNormId);
  }

  static async fromStore(
    store: ModelStore,
    options: SenseVoiceOptions = {},
    _logger?: Logger,
  ): Promise<SenseVoiceEngine> {
    const model = await store.resolveFile(SENSE_VOICE_MODEL.modelId, SENSE_VOICE_MODEL.model);
    const tokens = await store.resolveFile(SENSE_VOICE_MODEL.modelId, SENSE_VOICE_MODEL.tokens);
    return SenseVoiceEngine.load({ model, tokens }, options);
  }

  createStream(options?: AsrStreamOptions): AsrStream {
    return new RedecodingStream(this, this.sampleRateHz, options);
  }

  async transcribe(samples: Float32Array): Promise<AsrHypothesis> {
    const stream = this.createStream({ partialIntervalMs: 0 });
    stream.accept(samples);
    return stream.finish();
  }

  createFrontEnd(): OnlineFbank {
    return new OnlineFbank(this.fbank);
  }

  accept(frontEnd: OnlineFbank, samples: Float32Array): void {
    frontEnd.accept(samples);
  }

  async decode(frontEnd: OnlineFbank): Promise<{ text: string; tokenIds: number[]; language?: string }> {
    const input = funasrModelInput(frontEnd, this.frontEnd);
    // Too short for one LFR frame: nothing was said.
    if (input.frameCount === 0) return { text: '', tokenIds: [] };
    const feeds = {
      x: new ort.Tensor('float32', input.values, [1, input.frameCount, input.melBinCount]),
      x_length: new ort.Tensor('int32', Int32Array.of(input.frameCount), [1]),
      language: new ort.Tensor('int32', Int32Array.of(this.languageId), [1]),
      text_norm: new ort.Tensor('int32', Int32Array.of(this.textNormId), [1]),
    };
    const { logits } = await this.session.run(feeds);
    if (!logits) throw new ModelMismatchError('SenseVoice returned no "logits"');
    const [, frameCount, vocabSize] = logits.dims as [number, number, number];
    if (vocabSize !== this.tokens.size) {
      throw new ModelMismatchError(
        `SenseVoice logits have ${vocabSize} classes but tokens.txt has ${this.tokens.size}`,
      );
    }
    const decoded = ctcGreedyDecode(logits.data as Float32Array, frameCount, vocabSize, BLANK_ID);
    // As sherpa-onnx does: the first four decoded tokens are the prompt answers.
    const [languageId] = decoded;
    const language = languageId === undefined ? undefined : /^<\|([a-z]+)\|>$/.exec(this.tokens.piece(languageId))?.[1];
    // Special pieces ("<|...|>") can still appear among the words; they are not speech.
    const words = decoded.slice(PROMPT_TOKENS).filter((id) => !/^<\|.*\|>$/.test(this.tokens.piece(id)));
    return { text: this.tokens.decode(words), tokenIds: words, ...(language ? { language } : {}) };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
