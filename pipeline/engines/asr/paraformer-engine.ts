/**
 * Paraformer-zh (the sherpa-onnx int8 export): a non-autoregressive model whose predictor
 * decides how many tokens the utterance holds and whose decoder emits one row of
 * log-probabilities per token. Same FunASR front end as SenseVoice. Decoding as sherpa-onnx
 * does it: the best token of each row, stopping at `</s>` (the model's `token_num` output
 * is not needed for that).
 */
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
import { argmaxRow } from './ctc-greedy.js';
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

export const PARAFORMER_MODEL = { modelId: 'paraformer-zh', model: 'model.int8.onnx', tokens: 'tokens.txt' } as const;

export const PARAFORMER_SIGNATURE: { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] } = {
  inputs: [
    { name: 'speech', shape: [null, null, 560], type: 'float32' },
    { name: 'speech_lengths', shape: [null], type: 'int32' },
  ],
  outputs: [{ name: 'logits', shape: [null, null, null], type: 'float32' }],
};

const SPECIAL_PIECE = /^<.*>$/;

export class ParaformerEngine implements AsrEngine, SegmentDecoder<OnlineFbank> {
  readonly id = 'paraformer';
  readonly sampleRateHz = 16000;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokens: TokenTable,
    private readonly frontEnd: FunasrFrontEndConfig,
    private readonly fbank: KaldiFbank,
    private readonly eosId: number,
  ) {}

  static async load(paths: { model: string; tokens: string }): Promise<ParaformerEngine> {
    const metadata = readOnnxMetadata(paths.model);
    const frontEnd = funasrFrontEndConfig(metadata, paths.model);
    const tokens = TokenTable.load(paths.tokens, 'bpe-continuation');
    const vocabSize = requireIntMetadata(metadata, 'vocab_size', paths.model);
    if (vocabSize !== tokens.size) {
      throw new ModelMismatchError(
        `${paths.tokens} has ${tokens.size} tokens but ${paths.model} says vocab_size ${vocabSize}: they are not from the same release`,
      );
    }
    const eosId = tokens.idOf('</s>');
    if (eosId === undefined)
      throw new ModelMismatchError(`${paths.tokens} has no "</s>" token: not a Paraformer table`);
    const session = await createSingleThreadSession(paths.model);
    checkModelSignature(session, paths.model, PARAFORMER_SIGNATURE);
    return new ParaformerEngine(session, tokens, frontEnd, createFunasrFbank(frontEnd), eosId);
  }

  static async fromStore(store: ModelStore): Promise<ParaformerEngine> {
    const model = await store.resolveFile(PARAFORMER_MODEL.modelId, PARAFORMER_MODEL.model);
    const tokens = await store.resolveFile(PARAFORMER_MODEL.modelId, PARAFORMER_MODEL.tokens);
    return ParaformerEngine.load({ model, tokens });
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

  async decode(frontEnd: OnlineFbank): Promise<{ text: string; tokenIds: number[] }> {
    const input = funasrModelInput(frontEnd, this.frontEnd);
    if (input.frameCount === 0) return { text: '', tokenIds: [] };
    const { logits } = await this.session.run({
      speech: new ort.Tensor('float32', input.values, [1, input.frameCount, input.melBinCount]),
      speech_lengths: new ort.Tensor('int32', Int32Array.of(input.frameCount), [1]),
    });
    if (!logits) throw new ModelMismatchError('Paraformer returned no "logits"');
    const [, tokenRows, vocabSize] = logits.dims as [number, number, number];
    if (vocabSize !== this.tokens.size) {
      throw new ModelMismatchError(
        `Paraformer logits have ${vocabSize} classes but tokens.txt has ${this.tokens.size}`,
      );
    }
    const values = logits.data as Float32Array;
    const tokenIds: number[] = [];
    for (let row = 0; row < tokenRows; row++) {
      const best = argmaxRow(values, row, vocabSize);
      if (best === this.eosId) break;
      if (!SPECIAL_PIECE.test(this.tokens.piece(best))) tokenIds.push(best);
    }
    return { text: this.tokens.decode(tokenIds), tokenIds };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
