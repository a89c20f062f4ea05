/**
 * Stand-ins for onnx-community/whisper-tiny (the files the Whisper engine loads through
 * transformers.js): `encoder_model_quantized.onnx` and `decoder_model_merged_quantized.onnx`
 * with exactly the real tensor names, element types and (symbolic) shapes of Hugging Face
 * optimum's Whisper export (4 decoder layers, 6 heads × 64, d_model 384, 1500 encoder
 * frames, 51865 logits), with outputs computed from a few small tables instead of weights;
 * and STAND-IN versions of the five JSON files beside them. The real JSON files cannot be
 * downloaded here, so these are written from scratch, each clearly labelled: they keep the
 * real special-token ids, the real prompt-token mapping and the real feature-extractor
 * settings, but the tokenizer's vocabulary is a handful of made-up words at made-up ids.
 *
 * Encoder: last_hidden_state[b, t, :] = max over the 80 mel bins and the two mel frames
 *   2t, 2t+1 of input_features (so a frame's "energy" is its loudest log-mel value; the
 *   feature extractor maps digital silence to -1.5 and zero padding to ≤ -1.5).
 *
 * Merged decoder (transformers.js feeds the four prompt tokens at once, then one token a
 * step):
 * - present.L.decoder.{key,value} = Concat(past, new) along the sequence axis, where every
 *   element of `new` is the input token id: the self-attention cache is the token history,
 *   which the graph reads back;
 * - an `If` on use_cache_branch, as in optimum's merged model: false → the encoder
 *   keys/values are encoder_hidden_states split into 6 heads of 64; true → the graph reads
 *   the past encoder inputs, and present.L.encoder.* are empty placeholders (a caller that
 *   fed those back would break the result);
 * - speech frames = encoder frames whose energy is > 0 (a log-mel power above 1e-4); the
 *   utterance "holds" k = min(11, floor((speech frames + 1) / 25)) tokens: about one per
 *   half second of loud audio;
 * - the prompt is the first four tokens of the history; when it is exactly
 *   <|startoftranscript|> <|zh|> <|transcribe|> <|notimestamps|> (configurable) the decoder
 *   spells the Mandarin script, otherwise the English one (so a wrong language or task id
 *   gives different text);
 * - step j (j = history length - 4 new tokens so far): logit 10 for script[j] while j < k,
 *   else for <|endoftext|>; logit 5 for <|0.00|> always; -1e4 for the rest. Silence (k = 0)
 *   therefore wants <|endoftext|> at once; Whisper's generation config suppresses
 *   <|endoftext|> (and the space) on the first step (`begin_suppress_tokens`), so the
 *   first token is <|0.00|>, then <|endoftext|>: no text tokens at all.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WHISPER_FILES } from '../../pipeline/engines/asr/whisper/whisper-engine.js';
import { declareInput, type InputVariants } from './marian-stand-ins.js';
import { OnnxGraphBuilder, tensor } from './onnx-graph.js';

/** whisper-tiny's dimensions (config.json of openai/whisper-tiny). */
export const WHISPER_TINY = {
  layers: 4,
  heads: 6,
  headDim: 64,
  hidden: 384,
  vocabSize: 51865,
  melBins: 80,
  melFrames: 3000,
  encoderFrames: 1500,
} as const;

/** The real special-token ids of the multilingual Whisper vocabulary. */
export const WHISPER_IDS = {
  endOfText: 50257,
  startOfTranscript: 50258,
  en: 50259,
  zh: 50260,
  translate: 50358,
  transcribe: 50359,
  startOfLm: 50360,
  startOfPrev: 50361,
  noCaptions: 50362,
  noTimestamps: 50363,
  /** `<|0.00|>`; the timestamps run to `<|30.00|>` = 51864. */
  firstTimestamp: 50364,
  /** "Ġ", the space: suppressed on the first step with <|endoftext|>. */
  space: 220,
} as const;

export const ZH_PROMPT = [
  WHISPER_IDS.startOfTranscript,
  WHISPER_IDS.zh,
  WHISPER_IDS.transcribe,
  WHISPER_IDS.noTimestamps,
] as const;

/** The 99 language tokens of multilingual Whisper, in id order from 50259 (openai/whisper tokenizer.py). */
export const WHISPER_LANGUAGE_CODES = (
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la ' +
  'mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be ' +
  'tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su'
).split(' ');

/** A word of the stand-in vocabulary: its text and its (made-up) id. */
export interface StandInWord {
  text: string;
  id: number;
}

/** What the stand-in decoder spells for a Mandarin prompt (ids made up, all below 50257). */
export const MANDARIN_SCRIPT: readonly StandInWord[] = [
  { text: '宝宝', id: 41001 },
  { text: '，', id: 41002 },
  { text: '该', id: 41003 },
  { text: '睡觉', id: 41004 },
  { text: '了', id: 41005 },
  { text: '。', id: 41006 },
  { text: '我们', id: 41007 },
  { text: '去', id: 41008 },
  { text: '刷牙', id: 41009 },
  { text: '吧', id: 41010 },
  { text: '。', id: 41006 },
];

/** What it spells for any other prompt (a leading space, as byte-level BPE words have). */
export const OTHER_SCRIPT: readonly StandInWord[] = [
  { text: ' good', id: 42001 },
  { text: ' night', id: 42002 },
  { text: ' baby', id: 42003 },
  { text: '.', id: 13 },
  { text: ' see', id: 42004 },
  { text: ' you', id: 42005 },
  { text: ' tomorrow', id: 42006 },
  { text: '.', id: 13 },
  { text: ' sleep', id: 42007 },
  { text: ' well', id: 42008 },
  { text: '.', id: 13 },
];

const SCRIPT_LENGTH = MANDARIN_SCRIPT.length;
/** Encoder frames (20 ms each) of loud audio per script token. */
const FRAMES_PER_TOKEN = 25;
const FLOOR_LOGIT = -1e4;
const SAMPLE_RATE = 16000;
const WINDOW_SAMPLES = 30 * SAMPLE_RATE;

/**
 * How many script tokens the stand-in spells for `samples` of loud audio decoded in one
 * window: 50 speech frames a second plus one (the STFT frames overlapping the end of the
 * audio), so k = floor((50 s + 2) / 25) = floor(2 s + 0.08) — exact for tenths of a second.
 */
export function standInTokenCount(samples: number): number {
  const seconds = Math.min(samples, WINDOW_SAMPLES) / SAMPLE_RATE;
  return Math.min(SCRIPT_LENGTH, Math.floor(2 * seconds + 0.08 + 1e-9));
}

/**
 * The text the engine should give for loud audio of `samples` samples: Whisper decodes in
 * 30 s windows; each window spells its own prefix of the script, and the windows' tokens
 * are decoded together.
 */
export function expectedWhisperText(samples: number, script: readonly StandInWord[] = MANDARIN_SCRIPT): string {
  let text = '';
  for (let start = 0; start < samples; start += WINDOW_SAMPLES) {
    const count = standInTokenCount(Math.min(WINDOW_SAMPLES, samples - start));
    text += script
      .slice(0, count)
      .map((word) => word.text)
      .join('');
  }
  return text.trim();
}

const int64s = (values: readonly number[]): BigInt64Array => BigInt64Array.from(values, (value) => BigInt(value));

/** optimum names the encoder's output frames after its (fixed) input length. */
const ENCODER_FRAMES_DIM = 'encoder_sequence_length / 2';

export function whisperEncoderGraph(variants: InputVariants = {}): OnnxGraphBuilder {
  const { melBins, melFrames, encoderFrames, hidden } = WHISPER_TINY;
  const g = new OnnxGraphBuilder({ opset: 17, name: 'whisper_test_encoder' });
  const features = declareInput(g, 'input_features', 'float32', ['batch_size', melBins, melFrames], variants);
  const perMelFrame = g.op('ReduceMax', [features], { axes: [1], keepdims: 0 });
  const pairs = g.op('Reshape', [perMelFrame, g.constant('pairs', 'int64', [3], int64s([0, encoderFrames, 2]))]);
  const energy = g.op('ReduceMax', [pairs], { axes: [2], keepdims: 0 });
  const column = g.op('Unsqueeze', [energy, g.constant('axis_last', 'int64', [1], int64s([2]))]);
  const batch = g.op('Slice', [
    g.op('Shape', [features]),
    g.constant('b0', 'int64', [1], int64s([0])),
    g.constant('b1', 'int64', [1], int64s([1])),
  ]);
  const shape = g.op('Concat', [batch, g.constant('frames_hidden', 'int64', [2], int64s([encoderFrames, hidden]))], {
    axis: 0,
  });
  g.node('Expand', [column, shape], ['last_hidden_state']);
  g.output('last_hidden_state', 'float32', ['batch_size', ENCODER_FRAMES_DIM, hidden]);
  return g;
}

const PAST_NAMES = (() => {
  const names: string[] = [];
  for (let layer = 0; layer < WHISPER_TINY.layers; layer++)
    for (const part of ['decoder', 'encoder'])
      for (const kind of ['key', 'value']) names.push(`past_key_values.${layer}.${part}.${kind}`);
  return names;
})();

const presentOf = (pastName: string): string => pastName.replace('past_key_values.', 'present.');

export interface WhisperDecoderGraphOptions extends InputVariants {
  /** The four prompt ids that make the decoder spell Mandarin (default ZH_PROMPT). */
  expectedPrompt?: readonly number[];
  /** Width of the logits output (default 51865). */
  logitsWidth?: number;
}

export function whisperDecoderGraph(options: WhisperDecoderGraphOptions = {}): OnnxGraphBuilder {
  const { heads, headDim, hidden } = WHISPER_TINY;
  const vocab = options.logitsWidth ?? WHISPER_TINY.vocabSize;
  const expectedPrompt = options.expectedPrompt ?? ZH_PROMPT;
  if (expectedPrompt.length !== 4) throw new Error('a Whisper prompt is four tokens here');
  const g = new OnnxGraphBuilder({ opset: 17, name: 'whisper_test_decoder_merged' });
  const ids = declareInput(g, 'input_ids', 'int64', ['batch_size', 'decoder_sequence_length'], options);
  const hiddenStates = declareInput(
    g,
    'encoder_hidden_states',
    'float32',
    ['batch_size', ENCODER_FRAMES_DIM, hidden],
    options,
  );
  const past = new Map<string, string>();
  for (const name of PAST_NAMES) {
    const length = name.includes('.decoder.') ? 'past_decoder_sequence_length' : 'encoder_sequence_length_out';
    past.set(name, declareInput(g, name, 'float32', ['batch_size', heads, length, headDim], options));
  }
  const useCache = declareInput(g, 'use_cache_branch', 'bool', [1], options);

  const i64 = (name: string, values: readonly number[]) =>
    g.constant(g.temp(name), 'int64', [values.length], int64s(values));
  const scalar = (name: string, value: number) => g.constant(g.temp(name), 'int64', [], int64s([value]));
  const pastOf = (name: string): string => past.get(name) as string;

  // The new self-attention entries: every element is the input token id.
  const idsShape = g.op('Shape', [ids]);
  const batch = g.op('Slice', [idsShape, i64('s0', [0]), i64('e1', [1])]);
  const steps = g.op('Slice', [idsShape, i64('s1', [1]), i64('e2', [2])]);
  const kvShape = g.op('Concat', [batch, i64('heads', [heads]), steps, i64('head_dim', [headDim])], { axis: 0 });
  const fresh = g.op('Expand', [g.op('Unsqueeze', [g.op('Cast', [ids], { to: 1 }), i64('axes13', [1, 3])]), kvShape]);
  for (const name of PAST_NAMES.filter((n) => n.includes('.decoder.')))
    g.node('Concat', [pastOf(name), fresh], [presentOf(name)], { axis: 2 });

  // Encoder keys/values: computed on the first step, read from the past afterwards.
  const encoderNames = PAST_NAMES.filter((n) => n.includes('.encoder.'));
  const sourceKv = g.temp('source_kv');
  const thenBranch = g.subgraph('use_cache');
  thenBranch.output(thenBranch.op('Identity', [pastOf('past_key_values.2.encoder.key')]), 'float32');
  for (const name of encoderNames) {
    const placeholder = thenBranch.op('Slice', [
      pastOf(name),
      thenBranch.constant(thenBranch.temp('z'), 'int64', [1], int64s([0])),
      thenBranch.constant(thenBranch.temp('z'), 'int64', [1], int64s([0])),
      thenBranch.constant(thenBranch.temp('axis2'), 'int64', [1], int64s([2])),
    ]);
    thenBranch.output(placeholder, 'float32');
  }
  const elseBranch = g.subgraph('no_cache');
  const split = elseBranch.op('Reshape', [
    hiddenStates,
    elseBranch.constant(elseBranch.temp('split_heads'), 'int64', [4], int64s([0, 0, heads, headDim])),
  ]);
  const computed = elseBranch.op('Transpose', [split], { perm: [0, 2, 1, 3] });
  elseBranch.output(elseBranch.op('Identity', [computed]), 'float32');
  for (const _name of encoderNames) elseBranch.output(elseBranch.op('Identity', [computed]), 'float32');
  g.node('If', [useCache], [sourceKv, ...encoderNames.map(presentOf)], {
    then_branch: thenBranch,
    else_branch: elseBranch,
  });

  // k = min(L, floor((speech frames + 1) / 25)), per batch row.
  const energy = g.op('Gather', [g.op('Gather', [sourceKv, scalar('h0', 0)], { axis: 1 }), scalar('d0', 0)], {
    axis: 2,
  });
  const zeroF = g.constant(g.temp('zero_f'), 'float32', [], [0]);
  const speechFrames = g.op(
    'ReduceSum',
    [g.op('Cast', [g.op('Greater', [energy, zeroF])], { to: 1 }), i64('ax1', [1])],
    {
      keepdims: 0,
    },
  );
  const tokensHeld = g.op('Floor', [
    g.op('Div', [
      g.op('Add', [speechFrames, g.constant(g.temp('one_f'), 'float32', [], [1])]),
      g.constant(g.temp('per_token'), 'float32', [], [FRAMES_PER_TOKEN]),
    ]),
  ]);
  const k = g.op('Min', [g.op('Cast', [tokensHeld], { to: 7 }), scalar('script_len', SCRIPT_LENGTH)]);

  // The history (past + new tokens): its first four are the prompt, its length gives the step.
  const history = g.op(
    'Gather',
    [g.op('Gather', ['present.0.decoder.key', scalar('h0b', 0)], { axis: 1 }), scalar('d0b', 0)],
    { axis: 2 },
  );
  const historyLength = g.op('Gather', [g.op('Shape', [history]), scalar('a1', 1)]);
  const j = g.op('Sub', [historyLength, scalar('prompt_len', 4)]);
  const prompt = g.op('Cast', [g.op('Slice', [history, i64('p0', [0]), i64('p4', [4]), i64('pa', [1])])], { to: 7 });
  g.initializer('expected_prompt', 'int64', [1, 4], int64s(expectedPrompt));
  const promptOk = g.op(
    'Cast',
    [
      g.op('ReduceMin', [g.op('Cast', [g.op('Equal', [prompt, 'expected_prompt'])], { to: 7 })], {
        axes: [1],
        keepdims: 0,
      }),
    ],
    { to: 9 },
  );
  const scriptRow = g.op('Where', [promptOk, scalar('row_zh', 0), scalar('row_other', 1)]);
  g.initializer(
    'scripts',
    'int64',
    [2, SCRIPT_LENGTH],
    int64s([...MANDARIN_SCRIPT, ...OTHER_SCRIPT].map((word) => word.id)),
  );
  const clampedJ = g.op('Min', [g.op('Max', [j, scalar('zero', 0)]), scalar('last', SCRIPT_LENGTH - 1)]);
  const scriptToken = g.op('Gather', [g.op('Gather', ['scripts', scriptRow], { axis: 0 }), clampedJ], { axis: 1 });
  const primary = g.op('Where', [g.op('Less', [j, k]), scriptToken, scalar('eot', WHISPER_IDS.endOfText)]);

  // logits[b, s, :] = floor, with primary → 10 and <|0.00|> → 5 on every row.
  const secondary = g.op('Expand', [i64('ts0', [WHISPER_IDS.firstTimestamp]), batch]);
  const pair = g.op(
    'Concat',
    [g.op('Unsqueeze', [primary, i64('u1', [1])]), g.op('Unsqueeze', [secondary, i64('u1b', [1])])],
    {
      axis: 1,
    },
  );
  const rowShape = g.op('Concat', [idsShape, i64('two', [2])], { axis: 0 });
  const indices = g.op('Expand', [g.op('Unsqueeze', [pair, i64('u1c', [1])]), rowShape]);
  const values = g.op('Expand', [g.constant(g.temp('pair_logits'), 'float32', [2], [10, 5]), rowShape]);
  const floor = g.op('ConstantOfShape', [g.op('Concat', [idsShape, i64('vocab', [vocab])], { axis: 0 })], {
    value: tensor('float32', [1], [FLOOR_LOGIT]),
  });
  g.node('ScatterElements', [floor, indices, values], ['logits'], { axis: 2 });

  g.output('logits', 'float32', ['batch_size', 'decoder_sequence_length', vocab]);
  for (const name of PAST_NAMES) {
    const length = name.includes('.decoder.') ? 'past_decoder_sequence_length + 1' : 'encoder_sequence_length_out';
    g.output(presentOf(name), 'float32', ['batch_size', heads, length, headDim]);
  }
  return g;
}

// ---------------------------------------------------------------------------------------
// Stand-ins of the published JSON files.

/** GPT-2's byte → printable character map (the byte-level BPE alphabet), in vocabulary order. */
function byteLevelAlphabet(): { bytes: number[]; chars: string[] } {
  const bytes: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bytes.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bytes.push(b);
  for (let b = 0xae; b <= 0xff; b++) bytes.push(b);
  const chars = bytes.map((b) => String.fromCharCode(b));
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (bytes.includes(b)) continue;
    bytes.push(b);
    chars.push(String.fromCharCode(256 + extra++));
  }
  return { bytes, chars };
}

/** `text` as one byte-level BPE token string. */
function byteLevel(text: string, charOf: Map<number, string>): string {
  return [...new TextEncoder().encode(text)].map((b) => charOf.get(b) as string).join('');
}

const STAND_IN_NOTE =
  'STAND-IN written by collar bench/stand-ins/whisper-stand-ins.ts for tests: NOT the published ' +
  'onnx-community/whisper-tiny file (which cannot be downloaded here). Special-token ids, prompt ids and ' +
  'feature settings are the real ones; the vocabulary is a few made-up words.';

function standInTokenizerJson(): Record<string, unknown> {
  const { bytes, chars } = byteLevelAlphabet();
  const charOf = new Map(bytes.map((b, i) => [b, chars[i] as string]));
  const vocab: Record<string, number> = {};
  chars.forEach((char, id) => {
    vocab[char] = id;
  });
  for (const word of [...MANDARIN_SCRIPT, ...OTHER_SCRIPT]) vocab[byteLevel(word.text, charOf)] = word.id;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const added = [
    special(WHISPER_IDS.endOfText, '<|endoftext|>'),
    special(WHISPER_IDS.startOfTranscript, '<|startoftranscript|>'),
    ...WHISPER_LANGUAGE_CODES.map((code, i) => special(WHISPER_IDS.en + i, `<|${code}|>`)),
    special(WHISPER_IDS.translate, '<|translate|>'),
    special(WHISPER_IDS.transcribe, '<|transcribe|>'),
    special(WHISPER_IDS.startOfLm, '<|startoflm|>'),
    special(WHISPER_IDS.startOfPrev, '<|startofprev|>'),
    special(WHISPER_IDS.noCaptions, '<|nocaptions|>'),
    special(WHISPER_IDS.noTimestamps, '<|notimestamps|>'),
    ...Array.from({ length: 1501 }, (_, i) => ({
      ...special(WHISPER_IDS.firstTimestamp + i, `<|${(i * 0.02).toFixed(2)}|>`),
      special: false,
    })),
  ];
  return {
    _stand_in: STAND_IN_NOTE,
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges: [],
    },
  };
}

function standInTokenizerConfig(): Record<string, unknown> {
  return {
    _stand_in: STAND_IN_NOTE,
    tokenizer_class: 'WhisperTokenizer',
    bos_token: '<|endoftext|>',
    eos_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    pad_token: '<|endoftext|>',
    add_prefix_space: false,
    clean_up_tokenization_spaces: true,
    errors: 'replace',
    model_max_length: 1024,
  };
}

export interface StandInConfigOptions {
  /** Overrides of config.json keys (for mismatch tests). */
  config?: Record<string, unknown>;
  /** Overrides of generation_config.json keys. */
  generationConfig?: Record<string, unknown>;
  /** Overrides of preprocessor_config.json keys. */
  preprocessorConfig?: Record<string, unknown>;
}

function standInConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _stand_in: STAND_IN_NOTE,
    _name_or_path: 'openai/whisper-tiny',
    architectures: ['WhisperForConditionalGeneration'],
    activation_function: 'gelu',
    begin_suppress_tokens: [WHISPER_IDS.space, WHISPER_IDS.endOfText],
    bos_token_id: WHISPER_IDS.endOfText,
    d_model: WHISPER_TINY.hidden,
    decoder_attention_heads: WHISPER_TINY.heads,
    decoder_ffn_dim: 1536,
    decoder_layers: WHISPER_TINY.layers,
    decoder_start_token_id: WHISPER_IDS.startOfTranscript,
    encoder_attention_heads: 6,
    encoder_ffn_dim: 1536,
    encoder_layers: 4,
    eos_token_id: WHISPER_IDS.endOfText,
    is_encoder_decoder: true,
    max_length: 448,
    max_source_positions: WHISPER_TINY.encoderFrames,
    max_target_positions: 448,
    model_type: 'whisper',
    num_hidden_layers: 4,
    num_mel_bins: WHISPER_TINY.melBins,
    pad_token_id: WHISPER_IDS.endOfText,
    scale_embedding: false,
    use_cache: true,
    vocab_size: WHISPER_TINY.vocabSize,
    ...overrides,
  };
}

function standInGenerationConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _stand_in: STAND_IN_NOTE,
    begin_suppress_tokens: [WHISPER_IDS.space, WHISPER_IDS.endOfText],
    bos_token_id: WHISPER_IDS.endOfText,
    decoder_start_token_id: WHISPER_IDS.startOfTranscript,
    eos_token_id: WHISPER_IDS.endOfText,
    forced_decoder_ids: [
      [1, null],
      [2, WHISPER_IDS.transcribe],
    ],
    is_multilingual: true,
    lang_to_id: Object.fromEntries(WHISPER_LANGUAGE_CODES.map((code, i) => [`<|${code}|>`, WHISPER_IDS.en + i])),
    max_initial_timestamp_index: 50,
    max_length: 448,
    no_timestamps_token_id: WHISPER_IDS.noTimestamps,
    pad_token_id: WHISPER_IDS.endOfText,
    prev_sot_token_id: WHISPER_IDS.startOfPrev,
    return_timestamps: false,
    // The special-token part of the real list (the real one also holds ~80 ids of symbols).
    suppress_tokens: [
      WHISPER_IDS.startOfTranscript,
      WHISPER_IDS.translate,
      WHISPER_IDS.transcribe,
      WHISPER_IDS.startOfLm,
      WHISPER_IDS.startOfPrev,
      WHISPER_IDS.noCaptions,
    ],
    task_to_id: { translate: WHISPER_IDS.translate, transcribe: WHISPER_IDS.transcribe },
    ...overrides,
  };
}

function standInPreprocessorConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _stand_in: STAND_IN_NOTE,
    chunk_length: 30,
    feature_extractor_type: 'WhisperFeatureExtractor',
    feature_size: WHISPER_TINY.melBins,
    hop_length: 160,
    n_fft: 400,
    n_samples: WINDOW_SAMPLES,
    nb_max_frames: WHISPER_TINY.melFrames,
    padding_side: 'right',
    padding_value: 0.0,
    processor_class: 'WhisperProcessor',
    return_attention_mask: false,
    sampling_rate: SAMPLE_RATE,
    ...overrides,
  };
}

/** The stand-in's files carry the real model's names (the engine's WHISPER_FILES). */
export const WHISPER_STAND_IN_FILES = WHISPER_FILES;

export type WhisperStandInPaths = { -readonly [K in keyof typeof WHISPER_STAND_IN_FILES]: string };

export interface WhisperStandInOptions extends StandInConfigOptions {
  encoder?: OnnxGraphBuilder;
  decoder?: OnnxGraphBuilder;
}

/** Writes the seven files of a whisper-tiny stand-in into `dir` (flat, as the model store keeps them). */
export function writeWhisperStandIn(dir: string, options: WhisperStandInOptions = {}): WhisperStandInPaths {
  mkdirSync(dir, { recursive: true });
  const paths = Object.fromEntries(
    Object.entries(WHISPER_STAND_IN_FILES).map(([key, name]) => [key, join(dir, name)]),
  ) as WhisperStandInPaths;
  writeFileSync(paths.encoder, (options.encoder ?? whisperEncoderGraph()).toBytes());
  writeFileSync(paths.decoder, (options.decoder ?? whisperDecoderGraph()).toBytes());
  const json = (path: string, value: unknown) => writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  json(paths.config, standInConfig(options.config));
  json(paths.generationConfig, standInGenerationConfig(options.generationConfig));
  json(paths.preprocessorConfig, standInPreprocessorConfig(options.preprocessorConfig));
  json(paths.tokenizer, standInTokenizerJson());
  json(paths.tokenizerConfig, standInTokenizerConfig());
  return paths;
}
