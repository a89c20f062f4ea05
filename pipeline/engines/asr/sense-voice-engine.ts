/**
 * SenseVoice-small (the sherpa-onnx int8 export): a non-autoregressive CTC model. The
 * input is the FunASR front end's 560-dim LFR frames; two prompt ids (language, and
 * whether to apply inverse text normalisation) are passed as extra inputs and the model
 * prepends four output frames for its prompt. Greedy CTC with blank 0, as sherpa-onnx
 * decodes it: the first four tokens answer the prompt (language, emotion, event, ITN); we
 * read the language from them and skip them for the text.
 */
import type { ModelStore } from '../../models/index.js';
import { type ExpectedTensor, ModelMismatchError, ort } from '../onnx-session.js';
import { ctcGreedyDecode } from './ctc-greedy.js';
import type { OnlineFbank } from './features/kaldi-fbank.js';
import { FunasrEngine, type FunasrModelPaths, type FunasrParts, loadFunasrParts } from './funasr-engine.js';
import { requireIntMetadata } from './funasr-front-end.js';

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
const SPECIAL_PIECE = /^<\|.*\|>$/;

export const SENSE_VOICE_LANGUAGES = ['auto', 'zh', 'en', 'yue', 'ja', 'ko'] as const;
export type SenseVoiceLanguage = (typeof SENSE_VOICE_LANGUAGES)[number];

export interface SenseVoiceOptions {
  /** The language prompt; Mandarin by default (the wearer speaks it). */
  language?: SenseVoiceLanguage;
  /** Inverse text normalisation: punctuation and digits in the output. */
  withItn?: boolean;
}

export class SenseVoiceEngine extends FunasrEngine {
  readonly id = 'sense-voice';

  private constructor(
    parts: FunasrParts,
    private readonly languageId: number,
    private readonly textNormId: number,
  ) {
    super(parts);
  }

  static async load(paths: FunasrModelPaths, options: SenseVoiceOptions = {}): Promise<SenseVoiceEngine> {
    const parts = await loadFunasrParts(paths, SENSE_VOICE_SIGNATURE, 'sentencepiece');
    try {
      const languageId = requireIntMetadata(parts.metadata, `lang_${options.language ?? 'zh'}`, paths.model);
      const itnKey = options.withItn === false ? 'without_itn' : 'with_itn';
      const textNormId = requireIntMetadata(parts.metadata, itnKey, paths.model);
      return new SenseVoiceEngine(parts, languageId, textNormId);
    } catch (error) {
      await parts.session.release();
      throw error;
    }
  }

  static async fromStore(store: ModelStore, options: SenseVoiceOptions = {}): Promise<SenseVoiceEngine> {
    const model = await store.resolveFile(SENSE_VOICE_MODEL.modelId, SENSE_VOICE_MODEL.model);
    const tokens = await store.resolveFile(SENSE_VOICE_MODEL.modelId, SENSE_VOICE_MODEL.tokens);
    return SenseVoiceEngine.load({ model, tokens }, options);
  }

  async decode(frontEnd: OnlineFbank): Promise<{ text: string; tokenIds: number[]; language?: string }> {
    const input = this.modelInput(frontEnd);
    // Too short for one LFR frame: nothing was said.
    if (input.frameCount === 0) return { text: '', tokenIds: [] };
    const { logits } = await this.session.run({
      x: new ort.Tensor('float32', input.values, [1, input.frameCount, input.melBinCount]),
      x_length: new ort.Tensor('int32', Int32Array.of(input.frameCount), [1]),
      language: new ort.Tensor('int32', Int32Array.of(this.languageId), [1]),
      text_norm: new ort.Tensor('int32', Int32Array.of(this.textNormId), [1]),
    });
    if (!logits) throw new ModelMismatchError('SenseVoice returned no "logits"');
    const [, frameCount, vocabSize] = logits.dims as [number, number, number];
    this.checkVocab(vocabSize, 'SenseVoice');
    const decoded = ctcGreedyDecode(logits.data as Float32Array, frameCount, vocabSize, BLANK_ID);
    const [languageId] = decoded;
    const language = languageId === undefined ? undefined : /^<\|([a-z]+)\|>$/.exec(this.tokens.piece(languageId))?.[1];
    // Special pieces ("<|...|>") can still appear among the words; they are not speech.
    const words = decoded.slice(PROMPT_TOKENS).filter((id) => !SPECIAL_PIECE.test(this.tokens.piece(id)));
    return { text: this.tokens.decode(words), tokenIds: words, ...(language ? { language } : {}) };
  }
}
