/**
 * Tiny stand-ins for Xenova/opus-mt-zh-en's `encoder_model_quantized.onnx` and
 * `decoder_model_merged_quantized.onnx`: exactly the real names, dtypes and symbolic
 * shapes (optimum's export: 6 layers, 8 heads × 64, d_model 512, 65001 logits), with
 * outputs computed from a few small tables instead of weights, so the engine can be run
 * end to end through transformers.js with known results.
 *
 * Encoder: last_hidden_state[b, s, :] = input_ids[b, s] × attention_mask[b, s] (as float).
 *
 * Merged decoder (one new token per row per step, as generation feeds it):
 * - present.L.decoder.{key,value} = Concat(past, new) along the sequence axis, where
 *   every element of `new` is the input token id: the self-attention cache is the token
 *   history, so the graph can read it back;
 * - an `If` on use_cache_branch, like optimum's merged model: false → the encoder keys /
 *   values are computed from encoder_hidden_states (reshaped to [b, 8, s, 64]); true →
 *   the graph reads the *past* encoder inputs, and present.L.encoder.* are empty
 *   placeholders, so a caller that feeds them back breaks the result;
 * - logits are a sparse table keyed by
 *     key = ((source × 65001 + previous) × 65001 + current) × 512 + position
 *   with source = (Σ source ids) mod 65521 read from the encoder cache (layer 3 key),
 *   current = the input token, previous = the token before it in the decoder cache
 *   (layer 5 value; the start token counts as 65000 and so does "nothing before it"),
 *   position = the past length (layer 0 key). A matching rule gives its (token, logit)
 *   pairs over a floor of -1e4; no match gives eos with certainty. Rules are written
 *   with `chainRules` (a fixed greedy translation) or by hand (`decoderRule`).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILTIN_CATALOG, type ModelSpec } from '../../pipeline/models/index.js';
import { type Dim, type OnnxElementType, OnnxGraphBuilder, tensor } from './onnx-graph.js';

export const MARIAN = { layers: 6, heads: 8, headDim: 64, hidden: 512, vocabSize: 65001 } as const;
export const START_TOKEN = 65000;
export const EOS_TOKEN = 0;
const SOURCE_MODULUS = 65521;
const FLOOR_LOGIT = -1e4;
const MAX_POSITIONS = 512;

/** Changes to a graph's declared inputs, for signature-mismatch tests (the graph still runs). */
export interface InputVariants {
  /** Declared name instead of the real one. */
  rename?: Record<string, string>;
  /** Declared element type instead of the real one (cast inside the graph). */
  retype?: Record<string, OnnxElementType>;
}

/**
 * Declares an input, applying `variants`; returns the name the rest of the graph reads,
 * always of the real type.
 */
export function declareInput(
  g: OnnxGraphBuilder,
  name: string,
  type: OnnxElementType,
  shape: readonly Dim[],
  variants: InputVariants,
): string {
  const declared = variants.rename?.[name] ?? name;
  const declaredType = variants.retype?.[name] ?? type;
  g.input(declared, declaredType, shape);
  if (declared === name && declaredType === type) return name;
  const internal = g.temp(`${name}_in`);
  if (declaredType === type) g.node('Identity', [declared], [internal]);
  else g.node('Cast', [declared], [internal], { to: castCode(type) });
  return internal;
}

function castCode(type: OnnxElementType): number {
  const codes: Partial<Record<OnnxElementType, number>> = { float32: 1, int32: 6, int64: 7, bool: 9 };
  const code = codes[type];
  if (code === undefined) throw new Error(`no cast code for ${type}`);
  return code;
}

const int64s = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values, (value) => BigInt(value));

export function marianEncoderGraph(variants: InputVariants = {}): OnnxGraphBuilder {
  const g = new OnnxGraphBuilder({ opset: 17, name: 'marian_test_encoder' });
  const ids = declareInput(g, 'input_ids', 'int64', ['batch_size', 'encoder_sequence_length'], variants);
  const mask = declareInput(g, 'attention_mask', 'int64', ['batch_size', 'encoder_sequence_length'], variants);
  const masked = g.op('Mul', [g.op('Cast', [ids], { to: 1 }), g.op('Cast', [mask], { to: 1 })]);
  const column = g.op('Unsqueeze', [masked, g.constant('axis_last', 'int64', [1], int64s([2]))]);
  const shape = g.op('Concat', [g.op('Shape', [ids]), g.constant('hidden', 'int64', [1], int64s([MARIAN.hidden]))], {
    axis: 0,
  });
  g.node('Expand', [column, shape], ['last_hidden_state']);
  g.output('last_hidden_state', 'float32', ['batch_size', 'encoder_sequence_length', MARIAN.hidden]);
  return g;
}

export interface DecoderRule {
  /** (Σ source ids incl. eos) mod 65521. */
  source: number;
  /** Past length when `current` is fed (0 for the start token). */
  position: number;
  previous: number;
  current: number;
  /** (token, logit) pairs; all other tokens get -1e4. */
  logits: ReadonlyArray<readonly [token: number, logit: number]>;
}

export function sourceFeature(sourceIds: readonly number[]): number {
  return sourceIds.reduce((sum, id) => sum + id, 0) % SOURCE_MODULUS;
}

export function ruleKey(rule: Pick<DecoderRule, 'source' | 'position' | 'previous' | 'current'>): bigint {
  const vocab = BigInt(MARIAN.vocabSize);
  return (
    ((BigInt(rule.source) * vocab + BigInt(rule.previous)) * vocab + BigInt(rule.current)) * BigInt(MAX_POSITIONS) +
    BigInt(rule.position)
  );
}

/**
 * Rules under which greedy decoding of `sourceIds` yields `targetIds` then eos (each
 * step's next token gets logit 10, everything else the floor).
 */
export function chainRules(sourceIds: readonly number[], targetIds: readonly number[]): DecoderRule[] {
  const source = sourceFeature(sourceIds);
  const history = [START_TOKEN];
  const rules: DecoderRule[] = [];
  for (const next of [...targetIds, EOS_TOKEN]) {
    rules.push({
      source,
      position: history.length - 1,
      previous: history.length >= 2 ? (history[history.length - 2] as number) : START_TOKEN,
      current: history[history.length - 1] as number,
      logits: [[next, 10]],
    });
    history.push(next);
  }
  return rules;
}

/** A rule for the hypothesis `history` (start token first) of a given source. */
export function decoderRule(
  sourceIds: readonly number[],
  history: readonly number[],
  logits: DecoderRule['logits'],
): DecoderRule {
  if (history[0] !== START_TOKEN) throw new Error('a decoder history starts with the start token');
  return {
    source: sourceFeature(sourceIds),
    position: history.length - 1,
    previous: history.length >= 2 ? (history[history.length - 2] as number) : START_TOKEN,
    current: history[history.length - 1] as number,
    logits,
  };
}

const PAST_NAMES = (() => {
  const names: string[] = [];
  for (let layer = 0; layer < MARIAN.layers; layer++)
    for (const part of ['decoder', 'encoder'])
      for (const kind of ['key', 'value']) names.push(`past_key_values.${layer}.${part}.${kind}`);
  return names;
})();

export interface DecoderGraphOptions extends InputVariants {
  /** Leave the `use_cache_branch` input out (a non-merged decoder). */
  omitUseCacheBranch?: boolean;
  /** Width of the logits output (default 65001). */
  logitsWidth?: number;
}

export function marianDecoderGraph(rules: readonly DecoderRule[], options: DecoderGraphOptions = {}): OnnxGraphBuilder {
  const { heads, headDim } = MARIAN;
  const vocab = options.logitsWidth ?? MARIAN.vocabSize;
  const g = new OnnxGraphBuilder({ opset: 17, name: 'marian_test_decoder_merged' });
  const encoderMask = declareInput(
    g,
    'encoder_attention_mask',
    'int64',
    ['batch_size', 'encoder_sequence_length'],
    options,
  );
  const ids = declareInput(g, 'input_ids', 'int64', ['batch_size', 'decoder_sequence_length'], options);
  const hidden = declareInput(
    g,
    'encoder_hidden_states',
    'float32',
    ['batch_size', 'encoder_sequence_length', MARIAN.hidden],
    options,
  );
  const past = new Map<string, string>();
  for (const name of PAST_NAMES) {
    const length = name.includes('.decoder.') ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out';
    past.set(name, declareInput(g, name, 'float32', ['batch_size', heads, length, headDim], options));
  }
  const useCache = options.omitUseCacheBranch
    ? g.constant('use_cache_constant', 'bool', [1], [false])
    : declareInput(g, 'use_cache_branch', 'bool', [1], options);

  const i64 = (name: string, values: readonly number[]) =>
    g.constant(g.temp(name), 'int64', [values.length], int64s(values));
  const scalar = (name: string, value: number) => g.constant(g.temp(name), 'int64', [], int64s([value]));

  // The new self-attention entries: every element is the input token id.
  const idsShape = g.op('Shape', [ids]);
  const batch = g.op('Slice', [idsShape, i64('s0', [0]), i64('e1', [1])]);
  const steps = g.op('Slice', [idsShape, i64('s1', [1]), i64('e2', [2])]);
  const kvShape = g.op('Concat', [batch, i64('heads', [heads]), steps, i64('head_dim', [headDim])], { axis: 0 });
  const idsFloat = g.op('Cast', [ids], { to: 1 });
  const fresh = g.op('Expand', [g.op('Unsqueeze', [idsFloat, i64('axes13', [1, 3])]), kvShape]);
  for (const name of PAST_NAMES.filter((n) => n.includes('.decoder.')))
    g.node('Concat', [past.get(name) as string, fresh], [name.replace('past_key_values.', 'present.')], { axis: 2 });

  // Encoder keys/values: computed on the first step, read from the past afterwards.
  const encoderNames = PAST_NAMES.filter((n) => n.includes('.encoder.'));
  const sourceKv = g.temp('source_kv');
  const thenBranch = g.subgraph('use_cache');
  const thenSource = thenBranch.op('Identity', [past.get('past_key_values.3.encoder.key') as string]);
  thenBranch.output(thenSource, 'float32');
  for (const name of encoderNames) {
    const out = thenBranch.op('Slice', [
      past.get(name) as string,
      thenBranch.constant(thenBranch.temp('z'), 'int64', [1], int64s([0])),
      thenBranch.constant(thenBranch.temp('z'), 'int64', [1], int64s([0])),
      thenBranch.constant(thenBranch.temp('axis2'), 'int64', [1], int64s([2])),
    ]);
    thenBranch.output(out, 'float32');
  }
  const elseBranch = g.subgraph('no_cache');
  const reshaped = elseBranch.op('Reshape', [
    hidden,
    elseBranch.constant(elseBranch.temp('split_heads'), 'int64', [4], int64s([0, 0, heads, headDim])),
  ]);
  const computed = elseBranch.op('Transpose', [reshaped], { perm: [0, 2, 1, 3] });
  const elseSource = elseBranch.op('Identity', [computed]);
  elseBranch.output(elseSource, 'float32');
  for (const _name of encoderNames) elseBranch.output(elseBranch.op('Identity', [computed]), 'float32');
  g.node('If', [useCache], [sourceKv, ...encoderNames.map((n) => n.replace('past_key_values.', 'present.'))], {
    then_branch: thenBranch,
    else_branch: elseBranch,
  });

  // source = (Σ_s kv[b, 0, s, 0] × mask[b, s]) mod 65521
  const perPosition = g.op('Gather', [g.op('Gather', [sourceKv, scalar('h0', 0)], { axis: 1 }), scalar('d0', 0)], {
    axis: 2,
  });
  const maskedSource = g.op('Mul', [perPosition, g.op('Cast', [encoderMask], { to: 1 })]);
  const sourceSum = g.op('Cast', [g.op('ReduceSum', [maskedSource, i64('axis1', [1])], { keepdims: 0 })], { to: 7 });
  const source = g.op('Mod', [sourceSum, scalar('modulus', SOURCE_MODULUS)]);

  // position = past length; previous = the token before the current one in the cache.
  const position = g.op('Gather', [
    g.op('Shape', [past.get('past_key_values.0.decoder.key') as string]),
    scalar('a2', 2),
  ]);
  const history = g.op(
    'Gather',
    [g.op('Gather', ['present.5.decoder.value', scalar('h0b', 0)], { axis: 1 }), scalar('d0b', 0)],
    { axis: 2 },
  );
  const padColumn = g.op('Expand', [
    g.constant(g.temp('start'), 'float32', [1, 1], [START_TOKEN]),
    g.op('Concat', [batch, i64('one', [1])], { axis: 0 }),
  ]);
  const padded = g.op('Concat', [padColumn, history], { axis: 1 });
  const previous = g.op('Cast', [g.op('Gather', [padded, scalar('m2', -2)], { axis: 1 })], { to: 7 });
  const current = g.op('Gather', [ids, scalar('m1', -1)], { axis: 1 });

  const vocabScalar = scalar('vocab', MARIAN.vocabSize);
  let key = g.op('Add', [g.op('Mul', [source, vocabScalar]), previous]);
  key = g.op('Add', [g.op('Mul', [key, vocabScalar]), current]);
  key = g.op('Add', [g.op('Mul', [key, scalar('positions', MAX_POSITIONS)]), position]);

  // Row 0 of the tables is the default (eos certain); rule i is row i + 1.
  const width = Math.max(1, ...rules.map((rule) => rule.logits.length));
  const keys = [-1n, ...rules.map(ruleKey)];
  const tokens: number[] = [];
  const values: number[] = [];
  for (const entries of [[[EOS_TOKEN, 0] as const], ...rules.map((rule) => rule.logits)]) {
    for (let j = 0; j < width; j++) {
      const [token, logit] = entries[Math.min(j, entries.length - 1)] as readonly [number, number];
      tokens.push(token);
      values.push(logit);
    }
  }
  g.initializer('rule_keys', 'int64', [keys.length], BigInt64Array.from(keys));
  g.initializer('rule_tokens', 'int64', [keys.length, width], int64s(tokens));
  g.initializer('rule_logits', 'float32', [keys.length, width], Float32Array.from(values));
  const matches = g.op('Cast', [g.op('Equal', [g.op('Unsqueeze', [key, i64('axis_1', [1])]), 'rule_keys'])], { to: 6 });
  const row = g.op('ArgMax', [matches], { axis: 1, keepdims: 0 });
  const rowShape = g.op('Concat', [idsShape, i64('width', [width])], { axis: 0 });
  const rowTokens = g.op('Expand', [
    g.op('Unsqueeze', [g.op('Gather', ['rule_tokens', row]), i64('axis_1b', [1])]),
    rowShape,
  ]);
  const rowLogits = g.op('Expand', [
    g.op('Unsqueeze', [g.op('Gather', ['rule_logits', row]), i64('axis_1c', [1])]),
    rowShape,
  ]);
  const floor = g.op('ConstantOfShape', [g.op('Concat', [idsShape, i64('vocab_width', [vocab])], { axis: 0 })], {
    value: tensor('float32', [1], [FLOOR_LOGIT]),
  });
  g.node('ScatterElements', [floor, rowTokens, rowLogits], ['logits'], { axis: 2 });

  g.output('logits', 'float32', ['batch_size', 'decoder_sequence_length', vocab]);
  for (const name of PAST_NAMES) {
    const length = name.includes('.decoder.') ? 'past_decoder_sequence_length + 1' : 'encoder_sequence_length_out';
    g.output(name.replace('past_key_values.', 'present.'), 'float32', ['batch_size', heads, length, headDim]);
  }
  return g;
}

export const MARIAN_MODEL_ID = 'opus-mt-zh-en';
export const ENCODER_FILE = 'encoder_model_quantized.onnx';
export const DECODER_FILE = 'decoder_model_merged_quantized.onnx';

/**
 * Writes the two graphs as a mirror folder `<mirrorRoot>/opus-mt-zh-en/` (the mirror
 * layout the catalog names) and returns the built-in catalog with the opus-mt-zh-en entry
 * pinned to these graphs instead of the real weights; its tokenizer files keep the real
 * pins, to be had from the ../shared/models mirror.
 */
export async function writeMarianTestModel(
  mirrorRoot: string,
  graphs: { encoder: OnnxGraphBuilder; decoder: OnnxGraphBuilder },
): Promise<ModelSpec[]> {
  const dir = join(mirrorRoot, MARIAN_MODEL_ID);
  await mkdir(dir, { recursive: true });
  const pins = new Map<string, { sizeBytes: number; sha256: string }>();
  for (const [name, builder] of [
    [ENCODER_FILE, graphs.encoder],
    [DECODER_FILE, graphs.decoder],
  ] as const) {
    const bytes = builder.toBytes();
    await writeFile(join(dir, name), bytes);
    pins.set(name, { sizeBytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return BUILTIN_CATALOG.map((spec) =>
    spec.id !== MARIAN_MODEL_ID
      ? spec
      : { ...spec, files: spec.files.map((file) => ({ ...file, ...(pins.get(file.name) ?? {}) })) },
  );
}

/** Copies the real tokenizer/config files into `dir` (for tests that load the tokenizer from a folder). */
export async function copyTokenizerFiles(fromDir: string, dir: string, names: readonly string[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const name of names) await copyFile(join(fromDir, name), join(dir, name));
}
