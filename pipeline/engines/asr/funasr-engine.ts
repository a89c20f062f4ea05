/**
 * What the two FunASR recognisers share: loading (metadata → front end, token table checked
 * against vocab_size, one-thread session checked against the signature), the re-decoding
 * stream, one-shot transcription, and the features for the model input. Subclasses supply
 * the model call and the search.
 */
import { readOnnxMetadata } from '../onnx-metadata.js';
import {
  checkModelSignature,
  createSingleThreadSession,
  type ExpectedTensor,
  ModelMismatchError,
  type ort,
} from '../onnx-session.js';
import type { AsrEngine, AsrHypothesis, AsrStream, AsrStreamOptions } from './asr-engine.js';
import { type FbankMatrix, type KaldiFbank, OnlineFbank } from './features/kaldi-fbank.js';
import {
  createFunasrFbank,
  type FunasrFrontEndConfig,
  funasrFrontEndConfig,
  funasrModelInput,
  requireIntMetadata,
} from './funasr-front-end.js';
import { RedecodingStream, type SegmentDecoder } from './redecoding-stream.js';
import { TokenTable, type WordStyle } from './token-table.js';

export interface FunasrModelPaths {
  model: string;
  tokens: string;
}

export interface FunasrParts {
  session: ort.InferenceSession;
  tokens: TokenTable;
  frontEnd: FunasrFrontEndConfig;
  metadata: Map<string, string>;
}

export async function loadFunasrParts(
  paths: FunasrModelPaths,
  signature: { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] },
  wordStyle: WordStyle,
): Promise<FunasrParts> {
  const metadata = readOnnxMetadata(paths.model);
  const frontEnd = funasrFrontEndConfig(metadata, paths.model);
  const tokens = TokenTable.load(paths.tokens, wordStyle);
  const vocabSize = requireIntMetadata(metadata, 'vocab_size', paths.model);
  if (vocabSize !== tokens.size) {
    throw new ModelMismatchError(
      `${paths.tokens} has ${tokens.size} tokens but ${paths.model} says vocab_size ${vocabSize}: they are not from the same release`,
    );
  }
  const session = await createSingleThreadSession(paths.model);
  try {
    checkModelSignature(session, paths.model, signature);
  } catch (error) {
    await session.release();
    throw error;
  }
  return { session, tokens, frontEnd, metadata };
}

export abstract class FunasrEngine implements AsrEngine, SegmentDecoder<OnlineFbank> {
  abstract readonly id: string;
  readonly sampleRateHz = 16000;
  protected readonly session: ort.InferenceSession;
  protected readonly tokens: TokenTable;
  private readonly frontEndConfig: FunasrFrontEndConfig;
  private readonly fbank: KaldiFbank;

  protected constructor(parts: FunasrParts) {
    this.session = parts.session;
    this.tokens = parts.tokens;
    this.frontEndConfig = parts.frontEnd;
    this.fbank = createFunasrFbank(parts.frontEnd);
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

  abstract decode(frontEnd: OnlineFbank): Promise<{ text: string; tokenIds: number[]; language?: string }>;

  async dispose(): Promise<void> {
    await this.session.release();
  }

  /** The LFR + CMVN features of everything accepted so far: `[frames, 560]`. */
  protected modelInput(frontEnd: OnlineFbank): FbankMatrix {
    return funasrModelInput(frontEnd, this.frontEndConfig);
  }

  /** The vocabulary of the logits must be the token table's. */
  protected checkVocab(classes: number, modelName: string): void {
    if (classes !== this.tokens.size) {
      throw new ModelMismatchError(
        `${modelName} logits have ${classes} classes but tokens.txt has ${this.tokens.size}`,
      );
    }
  }
}
