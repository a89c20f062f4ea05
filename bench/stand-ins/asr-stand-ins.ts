/**
 * Stand-ins for the real recognisers, built with exactly their tensor names, dtypes and
 * shapes and the metadata keys the sherpa-onnx exports carry, but with tiny made-up
 * weights: the output is a known function of the input, so a test can predict the text.
 *
 * SenseVoice stand-in: logits [1, T + 4, V]. The 4 prompt rows answer the language and
 * text_norm inputs (so the test sees which ids the engine sent); frame t of the T LFR
 * frames is blank when the frame's mean normalised feature is ≤ 0 (silence), otherwise
 * SCRIPT[floor(t / 3)] on the first two frames of each group of three and blank on the
 * third. Greedy CTC therefore reads SCRIPT[0 .. ceil(T / 3) - 1] from loud audio.
 *
 * Paraformer stand-in: logits [1, K + 1, V] with K = floor(T / 3) + 1: row k is
 * SCRIPT[k] when the whole utterance's mean normalised feature is > 0, else all zeros
 * (argmax 0, "<blank>"); the last row is "</s>". token_num = K.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OnnxElementType, OnnxGraphBuilder } from './onnx-graph.js';

export const SCRIPT = [...'欢迎大家来体验达摩院推出的语音识别模型'];
const MAX_FRAMES = 600;
/** CMVN in the metadata: subtract 12 from every log-mel value, unit scale. */
const NEG_MEAN = -12;

const SENSE_VOICE_SPECIALS = [
  '<blank>',
  '<unk>',
  '<|zh|>',
  '<|en|>',
  '<|NEUTRAL|>',
  '<|Speech|>',
  '<|withitn|>',
  '<|woitn|>',
];
const PARAFORMER_SPECIALS = ['<blank>', '<s>', '</s>'];

function tokenLines(pieces: string[]): string {
  return `${pieces.map((piece, id) => `${piece} ${id}`).join('\n')}\n`;
}

function frontEndMetadata(vocabSize: number): Record<string, string> {
  return {
    lfr_window_size: '7',
    lfr_window_shift: '6',
    neg_mean: Array(560).fill(NEG_MEAN).join(','),
    inv_stddev: Array(560).fill(1).join(','),
    normalize_samples: '0',
    vocab_size: String(vocabSize),
  };
}

function oneHotRows(tokenIds: number[], vocabSize: number, scale = 10): Float32Array {
  const rows = new Float32Array(tokenIds.length * vocabSize);
  tokenIds.forEach((id, row) => {
    rows[row * vocabSize + id] = scale;
  });
  return rows;
}

export interface TestModelPaths {
  model: string;
  tokens: string;
}

export interface SenseVoiceGraphOptions {
  /** Break the signature on purpose: the dtype of x_length. */
  xLengthType?: OnnxElementType;
  /** Leave a metadata key out. */
  dropMetadata?: string;
}

export function writeSenseVoiceStandIn(dir: string, options: SenseVoiceGraphOptions = {}): TestModelPaths {
  const pieces = [...SENSE_VOICE_SPECIALS, ...SCRIPT];
  const vocabSize = pieces.length;
  const firstScriptId = SENSE_VOICE_SPECIALS.length;
  const g = new OnnxGraphBuilder({ name: 'sense_voice_stand_in' });
  g.input('x', 'float32', ['N', 'T', 560]);
  g.input('x_length', options.xLengthType ?? 'int32', ['N']);
  g.input('language', 'int32', ['N']);
  g.input('text_norm', 'int32', ['N']);

  const frameTokens = Array.from({ length: MAX_FRAMES }, (_, t) =>
    t % 3 === 2 ? 0 : firstScriptId + (Math.floor(t / 3) % SCRIPT.length),
  );
  g.initializer('frame_table', 'float32', [MAX_FRAMES, vocabSize], oneHotRows(frameTokens, vocabSize));
  g.initializer('zero_1d', 'int64', [1], [0n]);
  g.initializer('one_1d', 'int64', [1], [1n]);
  g.initializer('two_1d', 'int64', [1], [2n]);
  g.initializer('zero_f', 'float32', [], [0]);
  g.initializer('prompt_fixed', 'int64', [2], [4n, 5n]);
  g.initializer('depth', 'int64', [], [BigInt(vocabSize)]);
  g.initializer('onehot_values', 'float32', [2], [0, 10]);

  const frameCount = g.op('Slice', [g.op('Shape', ['x']), 'one_1d', 'two_1d']);
  const frames = g.op('Slice', ['frame_table', 'zero_1d', frameCount, 'zero_1d']);
  const meanPerFrame = g.op('ReduceMean', ['x'], { axes: [2], keepdims: 0 });
  const gate = g.op('Cast', [g.op('Greater', [meanPerFrame, 'zero_f'])], { to: 1 });
  const gated = g.op('Mul', [frames, g.op('Unsqueeze', [gate, 'two_1d'])]);

  const language = g.op('Cast', ['language'], { to: 7 });
  const textNorm = g.op('Cast', ['text_norm'], { to: 7 });
  const promptIds = g.op('Concat', [language, 'prompt_fixed', textNorm], { axis: 0 });
  const prompt = g.op('OneHot', [promptIds, 'depth', 'onehot_values'], { axis: -1 });
  g.node('Concat', [g.op('Unsqueeze', [prompt, 'zero_1d']), gated], ['logits'], { axis: 1 });
  g.output('logits', 'float32', ['N', 'T_out', vocabSize]);

  const metadata: Record<string, string> = {
    ...frontEndMetadata(vocabSize),
    model_type: 'sense_voice_ctc',
    lang_auto: '2',
    lang_zh: '2',
    lang_en: '3',
    lang_yue: '2',
    lang_ja: '2',
    lang_ko: '2',
    with_itn: '6',
    without_itn: '7',
  };
  if (options.dropMetadata) delete metadata[options.dropMetadata];
  g.metadata(metadata);

  const paths = { model: join(dir, 'model.int8.onnx'), tokens: join(dir, 'tokens.txt') };
  writeFileSync(paths.model, g.toBytes());
  writeFileSync(paths.tokens, tokenLines(pieces));
  return paths;
}

/** What the SenseVoice stand-in says for `lfrFrames` frames of loud audio. */
export function expectedSenseVoiceText(lfrFrames: number): string {
  return Array.from({ length: Math.ceil(lfrFrames / 3) }, (_, group) => SCRIPT[group % SCRIPT.length]).join('');
}

export function writeParaformerStandIn(dir: string, options: { speechInputName?: string } = {}): TestModelPaths {
  const pieces = [...PARAFORMER_SPECIALS, ...SCRIPT];
  const vocabSize = pieces.length;
  const eosId = 2;
  const g = new OnnxGraphBuilder({ name: 'paraformer_stand_in' });
  const speech = options.speechInputName ?? 'speech';
  g.input(speech, 'float32', ['N', 'T', 560]);
  g.input('speech_lengths', 'int32', ['N']);
  const rowTokens = Array.from({ length: MAX_FRAMES }, (_, k) => PARAFORMER_SPECIALS.length + (k % SCRIPT.length));
  g.initializer('token_table', 'float32', [MAX_FRAMES, vocabSize], oneHotRows(rowTokens, vocabSize));
  g.initializer('eos_row', 'float32', [1, vocabSize], oneHotRows([eosId], vocabSize));
  g.initializer('zero_1d', 'int64', [1], [0n]);
  g.initializer('one_1d', 'int64', [1], [1n]);
  g.initializer('two_1d', 'int64', [1], [2n]);
  g.initializer('three', 'int64', [1], [3n]);
  g.initializer('zero_f', 'float32', [], [0]);

  const frameCount = g.op('Slice', [g.op('Shape', [speech]), 'one_1d', 'two_1d']);
  const tokenCount = g.op('Add', [g.op('Div', [frameCount, 'three']), 'one_1d']);
  const rows = g.op('Slice', ['token_table', 'zero_1d', tokenCount, 'zero_1d']);
  const gate = g.op('Cast', [g.op('Greater', [g.op('ReduceMean', [speech], { keepdims: 0 }), 'zero_f'])], { to: 1 });
  const withEos = g.op('Concat', [g.op('Mul', [rows, gate]), 'eos_row'], { axis: 0 });
  g.node('Unsqueeze', [withEos, 'zero_1d'], ['logits']);
  g.node('Cast', [tokenCount], ['token_num'], { to: 6 });
  g.output('logits', 'float32', ['N', 'L', vocabSize]);
  g.output('token_num', 'int32', ['N']);
  g.metadata(frontEndMetadata(vocabSize));

  const paths = { model: join(dir, 'model.int8.onnx'), tokens: join(dir, 'tokens.txt') };
  writeFileSync(paths.model, g.toBytes());
  writeFileSync(paths.tokens, tokenLines(pieces));
  return paths;
}

/** What the Paraformer stand-in says for `lfrFrames` frames of loud audio. */
export function expectedParaformerText(lfrFrames: number): string {
  return Array.from({ length: Math.floor(lfrFrames / 3) + 1 }, (_, k) => SCRIPT[k % SCRIPT.length]).join('');
}

/** LFR frames (window 7, shift 6) for a 16 kHz signal of `sampleCount` samples. */
export function lfrFramesFor(sampleCount: number): number {
  const fbankFrames = sampleCount < 400 ? 0 : 1 + Math.floor((sampleCount - 400) / 160);
  return fbankFrames < 7 ? 0 : Math.floor((fbankFrames - 7) / 6) + 1;
}
