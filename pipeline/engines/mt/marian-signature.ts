/**
 * The inputs and outputs of a Marian model exported by Hugging Face optimum (as
 * Xenova/opus-mt-zh-en is: `encoder_model*.onnx` + the merged decoder
 * `decoder_model_merged*.onnx`, int8-quantized with float32 inputs and outputs), and the
 * check that refuses anything else, listing every difference at once.
 *
 * Encoder:  input_ids, attention_mask int64 [batch_size, encoder_sequence_length]
 *           → last_hidden_state float32 [batch_size, encoder_sequence_length, d_model]
 * Decoder:  encoder_attention_mask int64 [batch_size, encoder_sequence_length],
 *           input_ids int64 [batch_size, decoder_sequence_length],
 *           encoder_hidden_states float32 [batch_size, encoder_sequence_length, d_model],
 *           past_key_values.{0..L-1}.{decoder,encoder}.{key,value}
 *             float32 [batch_size, heads, past_decoder_sequence_length | encoder_sequence_length_out, head_dim],
 *           use_cache_branch bool [1]
 *           → logits float32 [batch_size, decoder_sequence_length, vocab],
 *             present.{0..L-1}.{decoder,encoder}.{key,value} float32 (same layout as the past;
 *             in the cache branch the encoder ones are placeholders).
 *
 * The past inputs' batch dimension must be the symbol `batch_size` and their sequence
 * dimension free: transformers.js builds the empty first-step cache from the session's
 * metadata, resolving `batch_size` to the batch and any other symbol to 0.
 *
 * (onnx-session.ts's checkModelSignature covers float32/int64 tensors with fixed or free
 * dims; this one adds bool, named symbols and unexpected inputs, and reports on both
 * files in one error. It throws the same ModelMismatchError.)
 */
import { ModelMismatchError, type ort } from '../onnx-session.js';

/**
 * A dimension: a number must match where the model fixes it (a symbol there is accepted);
 * `null` accepts anything; `'?'` requires a free (symbolic) dimension; any other string
 * requires a symbolic dimension of exactly that name.
 */
export type ExpectedDim = number | string | null;

export interface ExpectedTensorSpec {
  name: string;
  type: 'float32' | 'int64' | 'int32' | 'bool';
  /** `null`: any shape. */
  shape: readonly ExpectedDim[] | null;
}

export interface ExpectedSignature {
  inputs: readonly ExpectedTensorSpec[];
  outputs: readonly ExpectedTensorSpec[];
  /** Refuse inputs not listed (the engine would not feed them). Default true. */
  exactInputs?: boolean;
}

export interface MarianDims {
  layers: number;
  heads: number;
  headDim: number;
  hidden: number;
  vocabSize: number;
}

/** opus-mt-zh-en: 6 layers, 8 heads of 64, d_model 512, 65001 tokens. */
export const OPUS_MT_ZH_EN_DIMS: MarianDims = { layers: 6, heads: 8, headDim: 64, hidden: 512, vocabSize: 65001 };

export const KV_PARTS = ['decoder', 'encoder'] as const;
export const KV_KINDS = ['key', 'value'] as const;

/** `past_key_values.0.decoder.key`, … in the order optimum exports them. */
export function pastNames(layers: number): string[] {
  const names: string[] = [];
  for (let layer = 0; layer < layers; layer++)
    for (const part of KV_PARTS) for (const kind of KV_KINDS) names.push(`past_key_values.${layer}.${part}.${kind}`);
  return names;
}

/** The present output that becomes `pastName` on the next step. */
export function presentName(pastName: string): string {
  return pastName.replace(/^past_key_values\./, 'present.');
}

export function marianEncoderSignature(dims: MarianDims): ExpectedSignature {
  return {
    inputs: [
      { name: 'input_ids', type: 'int64', shape: [null, null] },
      { name: 'attention_mask', type: 'int64', shape: [null, null] },
    ],
    outputs: [{ name: 'last_hidden_state', type: 'float32', shape: [null, null, dims.hidden] }],
  };
}

export function marianDecoderSignature(dims: MarianDims): ExpectedSignature {
  const cache = mergedDecoderCacheSpecs(dims.layers, dims.heads, dims.headDim);
  return {
    inputs: [
      { name: 'encoder_attention_mask', type: 'int64', shape: [null, null] },
      { name: 'input_ids', type: 'int64', shape: [null, null] },
      { name: 'encoder_hidden_states', type: 'float32', shape: [null, null, dims.hidden] },
      ...cache.inputs,
    ],
    outputs: [{ name: 'logits', type: 'float32', shape: [null, null, dims.vocabSize] }, ...cache.outputs],
  };
}

/**
 * The key/value caches of an optimum "merged" decoder (Marian, Whisper): the past tensors
 * and `use_cache_branch` in, the present tensors out. Outputs carry only names and type:
 * they come out of the merged model's `If`, whose inferred shapes nobody relies on (the
 * caches fed back are checked as inputs).
 */
export function mergedDecoderCacheSpecs(
  layers: number,
  heads: number,
  headDim: number,
): { inputs: ExpectedTensorSpec[]; outputs: ExpectedTensorSpec[] } {
  const past = pastNames(layers);
  return {
    inputs: [
      ...past.map((name) => ({ name, type: 'float32' as const, shape: ['batch_size', heads, '?', headDim] })),
      { name: 'use_cache_branch', type: 'bool', shape: [1] },
    ],
    outputs: past.map((name) => ({ name: presentName(name), type: 'float32' as const, shape: null })),
  };
}

type Metadata = readonly ort.InferenceSession.ValueMetadata[];

function describeShape(shape: readonly (number | string)[]): string {
  return `[${shape.map((dim) => (typeof dim === 'number' ? dim : dim === '' ? '?' : dim)).join(',')}]`;
}

function describe(meta: ort.InferenceSession.ValueMetadata): string {
  return meta.isTensor ? `${meta.name} ${meta.type}${describeShape(meta.shape)}` : `${meta.name} (not a tensor)`;
}

function dimProblem(want: ExpectedDim, got: number | string): string | undefined {
  if (want === null) return undefined;
  if (typeof want === 'number')
    return typeof got === 'number' && got !== want ? `${got} where ${want} is expected` : undefined;
  if (typeof got === 'number') return `fixed ${got} where a free dimension is expected`;
  if (want !== '?' && got !== want) return `"${got === '' ? '?' : got}" where the symbol "${want}" is expected`;
  return undefined;
}

/** Every way `metadata` differs from `expected`, one line each (empty: it matches). */
export function signatureProblems(
  label: string,
  inputs: Metadata,
  outputs: Metadata,
  expected: ExpectedSignature,
): string[] {
  const problems: string[] = [];
  const check = (kind: 'input' | 'output', want: ExpectedTensorSpec, metadata: Metadata) => {
    const got = metadata.find((meta) => meta.name === want.name);
    if (!got) {
      problems.push(`${label}: missing ${kind} "${want.name}" (it has ${metadata.map(describe).join(', ') || 'none'})`);
      return;
    }
    if (!got.isTensor) {
      problems.push(`${label}: ${kind} "${want.name}" is not a tensor`);
      return;
    }
    if (got.type !== want.type) problems.push(`${label}: ${kind} "${want.name}" is ${got.type}, expected ${want.type}`);
    if (want.shape === null) return;
    if (got.shape.length !== want.shape.length) {
      problems.push(
        `${label}: ${kind} "${want.name}" has ${got.shape.length} dimensions ${describeShape(got.shape)}, expected ${want.shape.length}`,
      );
      return;
    }
    const shape = want.shape;
    shape.forEach((dim, axis) => {
      const problem = dimProblem(dim, got.shape[axis] as number | string);
      if (problem) problems.push(`${label}: ${kind} "${want.name}" dimension ${axis} is ${problem}`);
    });
  };
  for (const want of expected.inputs) check('input', want, inputs);
  for (const want of expected.outputs) check('output', want, outputs);
  if (expected.exactInputs !== false) {
    const known = new Set(expected.inputs.map((input) => input.name));
    for (const meta of inputs)
      if (!known.has(meta.name)) problems.push(`${label}: unexpected input "${meta.name}" (${describe(meta)})`);
  }
  return problems;
}

/** Throws ModelMismatchError listing every problem of every part, if any. */
export function checkSignatures(
  modelName: string,
  parts: ReadonlyArray<{ label: string; session: ort.InferenceSession; expected: ExpectedSignature }>,
): void {
  const problems = parts.flatMap(({ label, session, expected }) =>
    signatureProblems(label, session.inputMetadata, session.outputMetadata, expected),
  );
  if (problems.length > 0)
    throw new ModelMismatchError(`${modelName} does not match the Marian engine:\n  - ${problems.join('\n  - ')}`);
}
