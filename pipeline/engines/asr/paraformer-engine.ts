/**
 * Paraformer-zh (the sherpa-onnx int8 export): a non-autoregressive model whose predictor
 * decides how many tokens the utterance holds and whose decoder emits one row of
 * log-probabilities per token. Same FunASR front end as SenseVoice. Decoding as sherpa-onnx
 * does it: the best token of each row, stopping at `</s>` (the model's `token_num` output
 * is not needed for that).
 */
import type { ModelStore } from '../../models/index.js';
import { type ExpectedTensor, ModelMismatchError, ort } from '../onnx-session.js';
import { argmaxRow } from './ctc-greedy.js';
import type { OnlineFbank } from './features/kaldi-fbank.js';
import { FunasrEngine, type FunasrModelPaths, type FunasrParts, loadFunasrParts } from './funasr-engine.js';

export const PARAFORMER_MODEL = { modelId: 'paraformer-zh', model: 'model.int8.onnx', tokens: 'tokens.txt' } as const;

export const PARAFORMER_SIGNATURE: { inputs: ExpectedTensor[]; outputs: ExpectedTensor[] } = {
  inputs: [
    { name: 'speech', shape: [null, null, 560], type: 'float32' },
    { name: 'speech_lengths', shape: [null], type: 'int32' },
  ],
  outputs: [{ name: 'logits', shape: [null, null, null], type: 'float32' }],
};

const SPECIAL_PIECE = /^<.*>$/;

export class ParaformerEngine extends FunasrEngine {
  readonly id = 'paraformer';

  private constructor(
    parts: FunasrParts,
    private readonly eosId: number,
  ) {
    super(parts);
  }

  static async load(paths: FunasrModelPaths): Promise<ParaformerEngine> {
    const parts = await loadFunasrParts(paths, PARAFORMER_SIGNATURE, 'bpe-continuation');
    const eosId = parts.tokens.idOf('</s>');
    if (eosId === undefined) {
      await parts.session.release();
      throw new ModelMismatchError(`${paths.tokens} has no "</s>" token: not a Paraformer table`);
    }
    return new ParaformerEngine(parts, eosId);
  }

  static async fromStore(store: ModelStore): Promise<ParaformerEngine> {
    const model = await store.resolveFile(PARAFORMER_MODEL.modelId, PARAFORMER_MODEL.model);
    const tokens = await store.resolveFile(PARAFORMER_MODEL.modelId, PARAFORMER_MODEL.tokens);
    return ParaformerEngine.load({ model, tokens });
  }

  async decode(frontEnd: OnlineFbank): Promise<{ text: string; tokenIds: number[] }> {
    const input = this.modelInput(frontEnd);
    if (input.frameCount === 0) return { text: '', tokenIds: [] };
    const { logits } = await this.session.run({
      speech: new ort.Tensor('float32', input.values, [1, input.frameCount, input.melBinCount]),
      speech_lengths: new ort.Tensor('int32', Int32Array.of(input.frameCount), [1]),
    });
    if (!logits) throw new ModelMismatchError('Paraformer returned no "logits"');
    const [, tokenRows, vocabSize] = logits.dims as [number, number, number];
    this.checkVocab(vocabSize, 'Paraformer');
    const values = logits.data as Float32Array;
    const tokenIds: number[] = [];
    for (let row = 0; row < tokenRows; row++) {
      const best = argmaxRow(values, row, vocabSize);
      if (best === this.eosId) break;
      if (!SPECIAL_PIECE.test(this.tokens.piece(best))) tokenIds.push(best);
    }
    return { text: this.tokens.decode(tokenIds), tokenIds };
  }
}
