/**
 * What the Whisper engine reads from the model's JSON files before any session is created,
 * and the checks that refuse files it was not written for (every problem listed at once):
 *
 * - config.json: the dimensions the ONNX signature is checked against (d_model, decoder
 *   layers and heads, vocabulary, mel bins, encoder frames) and max_target_positions;
 * - generation_config.json: the prompt transformers.js forces for a multilingual model —
 *   decoder_start_token_id (<|startoftranscript|>), lang_to_id["<|zh|>"],
 *   task_to_id.transcribe and no_timestamps_token_id — and eos_token_id (<|endoftext|>);
 * - preprocessor_config.json: the feature extractor's window (16 kHz, 30 s = 480,000
 *   samples, hop 160 → 3000 frames of `num_mel_bins`), which must match the encoder.
 *
 * In every multilingual Whisper vocabulary the 50,257 byte-level BPE text tokens come
 * first and <|endoftext|> is the first of the special and timestamp tokens; the engine
 * relies on that to keep only text tokens (id < eos), and checks it against the tokenizer
 * (whisper-engine.ts).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { WhisperDims } from './whisper-signature.js';

const positiveInt = z.number().int().positive();
const tokenId = z.number().int().nonnegative();

const WhisperConfigJson = z.looseObject({
  model_type: z.literal('whisper'),
  d_model: positiveInt,
  decoder_layers: positiveInt,
  decoder_attention_heads: positiveInt,
  vocab_size: positiveInt,
  num_mel_bins: positiveInt,
  max_source_positions: positiveInt,
  max_target_positions: positiveInt,
});

const GenerationConfigJson = z.looseObject({
  decoder_start_token_id: tokenId,
  eos_token_id: z.union([tokenId, z.array(tokenId).min(1)]),
  no_timestamps_token_id: tokenId,
  is_multilingual: z.literal(true, { error: 'expected true (an English-only model cannot be prompted for Mandarin)' }),
  lang_to_id: z.record(z.string(), tokenId),
  task_to_id: z.looseObject({ transcribe: tokenId }),
});

const PreprocessorConfigJson = z.looseObject({
  feature_extractor_type: z.literal('WhisperFeatureExtractor').optional(),
  feature_size: positiveInt,
  sampling_rate: z.literal(16000),
  hop_length: positiveInt,
  n_samples: positiveInt,
  nb_max_frames: positiveInt,
});

/** The token ids of the forced prompt and of <|endoftext|>. */
export interface WhisperPromptIds {
  startOfTranscript: number;
  language: number;
  transcribe: number;
  noTimestamps: number;
  endOfText: number;
}

export interface WhisperModelConfig {
  dims: WhisperDims;
  /** Decoder positions (448): the prompt plus the generated tokens must fit. */
  maxTargetPositions: number;
  prompt: WhisperPromptIds;
  /** Samples per window (480,000 = 30 s at 16 kHz) and mel frames per window (3000). */
  windowSamples: number;
  windowFrames: number;
  hopLength: number;
}

export interface WhisperConfigFiles {
  config: string;
  generationConfig: string;
  preprocessorConfig: string;
}

async function readJson(path: string, problems: string[]): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    problems.push(`${path}: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function parse<T>(schema: z.ZodType<T>, data: unknown, path: string, problems: string[]): T | undefined {
  if (data === undefined) return undefined;
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.push(`${path}: ${issue.path.join('.') || '(file)'}: ${issue.message}`);
  return undefined;
}

/**
 * Reads and checks the three JSON files for `language` (a Whisper language code such as
 * "zh"); returns the config and the problems found (the config is undefined when there
 * are any).
 */
export async function readWhisperConfig(
  files: WhisperConfigFiles,
  language: string,
): Promise<{ config?: WhisperModelConfig; problems: string[] }> {
  const problems: string[] = [];
  const config = parse(WhisperConfigJson, await readJson(files.config, problems), files.config, problems);
  const generation = parse(
    GenerationConfigJson,
    await readJson(files.generationConfig, problems),
    files.generationConfig,
    problems,
  );
  const preprocessor = parse(
    PreprocessorConfigJson,
    await readJson(files.preprocessorConfig, problems),
    files.preprocessorConfig,
    problems,
  );

  if (config && config.d_model % config.decoder_attention_heads !== 0)
    problems.push(
      `${files.config}: d_model ${config.d_model} is not a multiple of ${config.decoder_attention_heads} heads`,
    );
  const languageToken = `<|${language}|>`;
  const languageId = generation?.lang_to_id[languageToken];
  if (generation && languageId === undefined)
    problems.push(`${files.generationConfig}: lang_to_id has no "${languageToken}"`);
  const endOfText = generation
    ? Array.isArray(generation.eos_token_id)
      ? (generation.eos_token_id[0] as number)
      : generation.eos_token_id
    : undefined;
  if (generation && endOfText !== undefined) {
    const prompt = {
      decoder_start_token_id: generation.decoder_start_token_id,
      [`lang_to_id["${languageToken}"]`]: languageId,
      'task_to_id.transcribe': generation.task_to_id.transcribe,
      no_timestamps_token_id: generation.no_timestamps_token_id,
    };
    for (const [key, id] of Object.entries(prompt))
      if (id !== undefined && id <= endOfText)
        problems.push(
          `${files.generationConfig}: ${key} is ${id}, not a special token after <|endoftext|> (${endOfText}) as in every Whisper vocabulary`,
        );
  }
  if (config && preprocessor) {
    const frames = 2 * config.max_source_positions;
    if (preprocessor.feature_size !== config.num_mel_bins)
      problems.push(
        `${files.preprocessorConfig}: feature_size ${preprocessor.feature_size}, but ${files.config} has num_mel_bins ${config.num_mel_bins}`,
      );
    if (preprocessor.nb_max_frames !== frames)
      problems.push(
        `${files.preprocessorConfig}: nb_max_frames ${preprocessor.nb_max_frames}, but the encoder takes ${frames} frames (2 × max_source_positions)`,
      );
    if (preprocessor.n_samples !== preprocessor.nb_max_frames * preprocessor.hop_length)
      problems.push(
        `${files.preprocessorConfig}: n_samples ${preprocessor.n_samples} is not nb_max_frames × hop_length (${preprocessor.nb_max_frames} × ${preprocessor.hop_length})`,
      );
  }
  if (
    problems.length > 0 ||
    !config ||
    !generation ||
    !preprocessor ||
    languageId === undefined ||
    endOfText === undefined
  )
    return { problems };
  return {
    problems,
    config: {
      dims: {
        hidden: config.d_model,
        decoderLayers: config.decoder_layers,
        heads: config.decoder_attention_heads,
        headDim: config.d_model / config.decoder_attention_heads,
        vocabSize: config.vocab_size,
        melBins: config.num_mel_bins,
        encoderFrames: config.max_source_positions,
      },
      maxTargetPositions: config.max_target_positions,
      prompt: {
        startOfTranscript: generation.decoder_start_token_id,
        language: languageId,
        transcribe: generation.task_to_id.transcribe,
        noTimestamps: generation.no_timestamps_token_id,
        endOfText,
      },
      windowSamples: preprocessor.n_samples,
      windowFrames: preprocessor.nb_max_frames,
      hopLength: preprocessor.hop_length,
    },
  };
}
