/**
 * Marian's merged decoder as a `DecoderStepper` for beam search, over the ONNX Runtime
 * sessions transformers.js loaded (the same sessions its greedy `generate` uses).
 *
 * First step: one row, `use_cache_branch` false, empty past tensors [1, heads, 0, head_dim];
 * the decoder computes the cross-attention (encoder) keys/values from
 * `encoder_hidden_states` and returns them as `present.*.encoder.*`. Those are kept: on
 * later steps (`use_cache_branch` true) the merged model only passes its encoder past
 * through and its encoder `present` outputs are placeholders, so the stepper keeps feeding
 * the first step's (as optimum and transformers.js do), repeated for each live row.
 * The self-attention cache (`present.*.decoder.*`) grows by one position per step and is
 * reordered by `parents` when beams are re-ranked (skipped when rows keep their places).
 */
import { ort } from '../onnx-session.js';
import type { DecoderStepper } from './beam-search.js';
import { type MarianDims, pastNames, presentName } from './marian-signature.js';

function rowsOf(tensor: ort.Tensor): number {
  return tensor.dims[0] as number;
}

/** Rows `parents[i]` of a float32 tensor, stacked along dimension 0. */
function gatherRows(tensor: ort.Tensor, parents: readonly number[]): ort.Tensor {
  const data = tensor.data as Float32Array;
  const rowSize = data.length / rowsOf(tensor);
  const out = new Float32Array(parents.length * rowSize);
  parents.forEach((parent, row) => {
    out.set(data.subarray(parent * rowSize, (parent + 1) * rowSize), row * rowSize);
  });
  return new ort.Tensor(tensor.type as 'float32', out, [parents.length, ...tensor.dims.slice(1)]);
}

/** A batch-1 tensor repeated to `rows` rows. */
function repeatRows(tensor: ort.Tensor, rows: number): ort.Tensor {
  if (rows === rowsOf(tensor)) return tensor;
  if (tensor.type === 'int64') {
    const data = tensor.data as BigInt64Array;
    const out = new BigInt64Array(rows * data.length);
    for (let row = 0; row < rows; row++) out.set(data, row * data.length);
    return new ort.Tensor('int64', out, [rows, ...tensor.dims.slice(1)]);
  }
  const data = tensor.data as Float32Array;
  const out = new Float32Array(rows * data.length);
  for (let row = 0; row < rows; row++) out.set(data, row * data.length);
  return new ort.Tensor('float32', out, [rows, ...tensor.dims.slice(1)]);
}

const isIdentity = (parents: readonly number[], rows: number): boolean =>
  parents.length === rows && parents.every((parent, row) => parent === row);

export class MarianDecoderStepper implements DecoderStepper {
  readonly vocabSize: number;
  private readonly decoderPast: string[];
  private readonly encoderPast: string[];
  /** Self-attention cache of the rows of the previous step; undefined before the first. */
  private past: Map<string, ort.Tensor> | undefined;
  /** Cross-attention cache (batch 1) from the first step. */
  private encoderKv: Map<string, ort.Tensor> | undefined;
  /** Batch-1 encoder-side inputs, and they and the cross-attention cache repeated per row count. */
  private readonly encoderSide: Record<string, ort.Tensor>;
  private readonly repeated = new Map<number, Record<string, ort.Tensor>>();
  private readonly encoderKvByRows = new Map<string, ort.Tensor>();

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly dims: MarianDims,
    encoder: { hiddenStates: ort.Tensor; attentionMask: ort.Tensor },
  ) {
    if (rowsOf(encoder.hiddenStates) !== 1)
      throw new Error('MarianDecoderStepper decodes one source sentence at a time');
    this.vocabSize = dims.vocabSize;
    const names = pastNames(dims.layers);
    this.decoderPast = names.filter((name) => name.includes('.decoder.'));
    this.encoderPast = names.filter((name) => name.includes('.encoder.'));
    this.encoderSide = { encoder_hidden_states: encoder.hiddenStates, encoder_attention_mask: encoder.attentionMask };
  }

  async step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array> {
    const rows = tokens.length;
    if (parents.length !== rows) throw new Error(`step: ${rows} tokens but ${parents.length} parents`);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor(
        'int64',
        BigInt64Array.from(tokens, (token) => BigInt(token)),
        [rows, 1],
      ),
      ...this.encoderInputs(rows),
    };
    const first = this.past === undefined;
    feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.of(first ? 0 : 1), [1]);
    if (first) {
      if (rows !== 1) throw new Error('the first decoder step takes the start token alone');
      const empty = new ort.Tensor('float32', new Float32Array(0), [1, this.dims.heads, 0, this.dims.headDim]);
      for (const name of [...this.decoderPast, ...this.encoderPast]) feeds[name] = empty;
    } else {
      const past = this.past as Map<string, ort.Tensor>;
      const previousRows = rowsOf(past.get(this.decoderPast[0] as string) as ort.Tensor);
      const keep = isIdentity(parents, previousRows);
      for (const name of this.decoderPast) {
        const tensor = past.get(name) as ort.Tensor;
        feeds[name] = keep ? tensor : gatherRows(tensor, parents);
      }
      for (const name of this.encoderPast) feeds[name] = this.encoderKvRows(name, rows);
    }

    const outputs = await this.session.run(feeds);
    const next = new Map<string, ort.Tensor>();
    for (const name of this.decoderPast) next.set(name, this.output(outputs, presentName(name)));
    this.past = next;
    if (first) {
      this.encoderKv = new Map(this.encoderPast.map((name) => [name, this.output(outputs, presentName(name))]));
    }
    const logits = this.output(outputs, 'logits');
    const [batch, length, vocab] = logits.dims as [number, number, number];
    if (batch !== rows || vocab !== this.vocabSize)
      throw new Error(`decoder logits are [${logits.dims}], expected [${rows}, ${length}, ${this.vocabSize}]`);
    const data = logits.data as Float32Array;
    if (length === 1) return data;
    // Keep the last position of each row.
    const out = new Float32Array(rows * vocab);
    for (let row = 0; row < rows; row++)
      out.set(data.subarray((row * length + length - 1) * vocab, (row * length + length) * vocab), row * vocab);
    return out;
  }

  private output(outputs: ort.InferenceSession.ReturnType, name: string): ort.Tensor {
    const tensor = outputs[name];
    if (!tensor) throw new Error(`the decoder returned no "${name}"`);
    return tensor;
  }

  private encoderInputs(rows: number): Record<string, ort.Tensor> {
    let inputs = this.repeated.get(rows);
    if (!inputs) {
      inputs = Object.fromEntries(Object.entries(this.encoderSide).map(([name, t]) => [name, repeatRows(t, rows)]));
      this.repeated.set(rows, inputs);
    }
    return inputs;
  }

  private encoderKvRows(name: string, rows: number): ort.Tensor {
    const key = `${rows}:${name}`;
    let tensor = this.encoderKvByRows.get(key);
    if (!tensor) {
      tensor = repeatRows(this.encoderKv?.get(name) as ort.Tensor, rows);
      this.encoderKvByRows.set(key, tensor);
    }
    return tensor;
  }
}
