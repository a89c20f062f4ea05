/**
 * Marian's tokenizer, done as Hugging Face's Python `MarianTokenizer` (transformers 4.x,
 * `separate_vocabs: false`) does it:
 *
 *   encode:  a leading `>>xx<<` language code is kept as one piece; the rest is split on
 *            the special tokens' literal text (`</s>`, `<unk>`, `<pad>`); each other part
 *            → pieces with source.spm (which applies its own nmt_nfkc normalisation) →
 *            ids through vocab.json (a piece missing there → `<unk>`) → then `</s>`.
 *   decode:  ids → pieces through vocab.json (an id missing there → `<unk>`), special
 *            tokens dropped (`skip_special_tokens`), pieces joined, `▁` → space, trimmed,
 *            then transformers' `clean_up_tokenization` when tokenizer_config.json asks
 *            for it (`clean_up_tokenization_spaces: true` for opus-mt-zh-en).
 *
 * The special tokens' text comes from special_tokens_map.json / tokenizer_config.json and
 * their ids from vocab.json; config.json's `eos_token_id` / `pad_token_id` must agree, and
 * the decoder start id is `decoder_start_token_id` from generation_config.json or
 * config.json — nothing is a constant here.
 *
 * (transformers.js ships a MarianTokenizer too, but it is built from a `tokenizer.json`
 * — the "fast" tokenizer format — which the published opus-mt-zh-en files do not include;
 * Marian only has the two sentencepiece models plus vocab.json, hence this class.)
 */
import { readFile } from 'node:fs/promises';
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { z } from 'zod';

const SPIECE_UNDERLINE = '\u2581';

/** The tokenizer's files: the two sentencepiece models, vocab.json and the JSON configs. */
export interface MarianTokenizerFiles {
  sourceSpm: string;
  targetSpm: string;
  vocab: string;
  tokenizerConfig: string;
  specialTokensMap?: string;
  config: string;
  generationConfig?: string;
}

/** The files of a folder laid out as the Hugging Face repository is. */
export function marianTokenizerFilesIn(dir: string): MarianTokenizerFiles {
  return {
    sourceSpm: `${dir}/source.spm`,
    targetSpm: `${dir}/target.spm`,
    vocab: `${dir}/vocab.json`,
    tokenizerConfig: `${dir}/tokenizer_config.json`,
    specialTokensMap: `${dir}/special_tokens_map.json`,
    config: `${dir}/config.json`,
    generationConfig: `${dir}/generation_config.json`,
  };
}

/** A special token is written either as a string or as an AddedToken object. */
const TokenText = z.union([z.string(), z.object({ content: z.string() }).transform((token) => token.content)]);

const TokenizerConfig = z.looseObject({
  eos_token: TokenText.optional(),
  unk_token: TokenText.optional(),
  pad_token: TokenText.optional(),
  separate_vocabs: z.boolean().optional(),
  clean_up_tokenization_spaces: z.boolean().optional(),
  model_max_length: z.number().optional(),
});
const SpecialTokensMap = z.looseObject({
  eos_token: TokenText.optional(),
  unk_token: TokenText.optional(),
  pad_token: TokenText.optional(),
});
const ModelConfig = z.looseObject({
  eos_token_id: z.number().int().optional(),
  pad_token_id: z.number().int().optional(),
  decoder_start_token_id: z.number().int().optional(),
  vocab_size: z.number().int().optional(),
});
const Vocab = z.record(z.string(), z.number().int().nonnegative());

/** The model's files contradict each other or are not a Marian tokenizer. */
export class MarianTokenizerError extends Error {
  override readonly name = 'MarianTokenizerError';
}

async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    throw new MarianTokenizerError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new MarianTokenizerError(`${path} is not what a Marian tokenizer expects: ${result.error.message}`);
  return result.data;
}

async function loadSpm(path: string): Promise<SentencePieceProcessor> {
  const processor = new SentencePieceProcessor();
  await processor.load(path);
  // load() ignores the status of the underlying Load(); a bad file would encode to nothing.
  const status: { ToString(): string; delete?(): void } = processor.processor.status();
  const text = status.ToString();
  status.delete?.();
  if (text !== 'OK') throw new MarianTokenizerError(`${path} is not a sentencepiece model: ${text}`);
  return processor;
}

/** transformers' `clean_up_tokenization`: no space before punctuation and English contractions. */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

export interface DecodeOptions {
  /** Drop `</s>`, `<unk>` and `<pad>` (default true). */
  skipSpecialTokens?: boolean;
  /** Default: tokenizer_config.json's `clean_up_tokenization_spaces`. */
  cleanUpTokenizationSpaces?: boolean;
}

export class MarianTokenizer {
  readonly eosTokenId: number;
  readonly unkTokenId: number;
  readonly padTokenId: number;
  /** The first decoder input (Marian starts from `<pad>`). */
  readonly decoderStartTokenId: number;
  /** Number of rows of the model's embedding / logits (max id + 1). */
  readonly vocabSize: number;
  /** The longest input the model was trained on, in tokens (eos included). */
  readonly modelMaxLength: number;
  private readonly idToPieceTable: (string | undefined)[];
  private readonly specialIds: ReadonlySet<number>;
  /** Special token text → id, longest first, for splitting raw text. */
  private readonly specialTokens: ReadonlyArray<readonly [string, number]>;

  private constructor(
    private readonly sourceSpm: SentencePieceProcessor,
    private readonly targetSpm: SentencePieceProcessor,
    private readonly vocab: ReadonlyMap<string, number>,
    specials: { eos: string; unk: string; pad: string },
    ids: { decoderStart: number },
    private readonly cleanUpByDefault: boolean,
    modelMaxLength: number,
  ) {
    const idOf = (token: string, role: string): number => {
      const id = vocab.get(token);
      if (id === undefined) throw new MarianTokenizerError(`the ${role} token "${token}" is not in vocab.json`);
      return id;
    };
    this.eosTokenId = idOf(specials.eos, 'eos');
    this.unkTokenId = idOf(specials.unk, 'unk');
    this.padTokenId = idOf(specials.pad, 'pad');
    this.decoderStartTokenId = ids.decoderStart;
    this.modelMaxLength = modelMaxLength;
    let maxId = 0;
    for (const id of vocab.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.idToPieceTable = new Array<string | undefined>(this.vocabSize);
    for (const [piece, id] of vocab) this.idToPieceTable[id] = piece;
    this.specialIds = new Set([this.eosTokenId, this.unkTokenId, this.padTokenId]);
    this.specialTokens = [
      [specials.eos, this.eosTokenId],
      [specials.unk, this.unkTokenId],
      [specials.pad, this.padTokenId],
    ]
      .sort((a, b) => (b[0] as string).length - (a[0] as string).length)
      .map(([text, id]) => [text as string, id as number] as const);
  }

  static async load(files: MarianTokenizerFiles): Promise<MarianTokenizer> {
    const [tokenizerConfig, specialMap, config, generationConfig, vocabObject] = await Promise.all([
      readJson(files.tokenizerConfig, TokenizerConfig),
      files.specialTokensMap ? readJson(files.specialTokensMap, SpecialTokensMap) : Promise.resolve({}),
      readJson(files.config, ModelConfig),
      files.generationConfig ? readJson(files.generationConfig, ModelConfig) : Promise.resolve({}),
      readJson(files.vocab, Vocab),
    ]);
    if (tokenizerConfig.separate_vocabs)
      throw new MarianTokenizerError(
        `${files.tokenizerConfig} asks for separate source and target vocabularies, which this tokenizer does not support`,
      );
    const special = (role: 'eos_token' | 'unk_token' | 'pad_token', fallback: string): string =>
      (specialMap as z.infer<typeof SpecialTokensMap>)[role] ?? tokenizerConfig[role] ?? fallback;
    const specials = {
      eos: special('eos_token', '</s>'),
      unk: special('unk_token', '<unk>'),
      pad: special('pad_token', '<pad>'),
    };
    const vocab = new Map(Object.entries(vocabObject));

    const [sourceSpm, targetSpm] = await Promise.all([loadSpm(files.sourceSpm), loadSpm(files.targetSpm)]);
    const generation = generationConfig as z.infer<typeof ModelConfig>;
    const padId = vocab.get(specials.pad);
    const decoderStart = generation.decoder_start_token_id ?? config.decoder_start_token_id ?? padId;
    if (decoderStart === undefined) throw new MarianTokenizerError(`${files.config} names no decoder_start_token_id`);
    const tokenizer = new MarianTokenizer(
      sourceSpm,
      targetSpm,
      vocab,
      specials,
      { decoderStart },
      tokenizerConfig.clean_up_tokenization_spaces ?? false,
      tokenizerConfig.model_max_length ?? 512,
    );
    const disagreements: string[] = [];
    for (const [name, source] of [
      [files.config, config],
      [files.generationConfig ?? '', generation],
    ] as const) {
      if (source.eos_token_id !== undefined && source.eos_token_id !== tokenizer.eosTokenId)
        disagreements.push(`${name} has eos_token_id ${source.eos_token_id}, vocab.json ${tokenizer.eosTokenId}`);
      if (source.pad_token_id !== undefined && source.pad_token_id !== tokenizer.padTokenId)
        disagreements.push(`${name} has pad_token_id ${source.pad_token_id}, vocab.json ${tokenizer.padTokenId}`);
    }
    if (config.vocab_size !== undefined && config.vocab_size !== tokenizer.vocabSize)
      disagreements.push(`${files.config} has vocab_size ${config.vocab_size}, vocab.json ${tokenizer.vocabSize}`);
    if (tokenizer.decoderStartTokenId >= tokenizer.vocabSize)
      disagreements.push(`decoder_start_token_id ${tokenizer.decoderStartTokenId} is outside the vocabulary`);
    if (disagreements.length > 0)
      throw new MarianTokenizerError(`the tokenizer files disagree:\n  - ${disagreements.join('\n  - ')}`);
    return tokenizer;
  }

  /** Loads from a folder holding the Hugging Face file names. */
  static async fromFolder(dir: string): Promise<MarianTokenizer> {
    return MarianTokenizer.load(marianTokenizerFilesIn(dir));
  }

  /** Source text → pieces (special tokens and a language code kept whole), no eos. */
  tokenize(text: string): string[] {
    return this.piecesWith(this.sourceSpm, text);
  }

  /** Source (Chinese) text → model input ids, ending with eos. */
  encode(text: string): number[] {
    return [...this.piecesWith(this.sourceSpm, text).map((piece) => this.pieceToId(piece)), this.eosTokenId];
  }

  /** Target (English) text → ids with target.spm, ending with eos (labels; round-trip checks). */
  encodeTarget(text: string): number[] {
    return [...this.piecesWith(this.targetSpm, text).map((piece) => this.pieceToId(piece)), this.eosTokenId];
  }

  /** Decoded ids → English text. */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skipSpecial = options.skipSpecialTokens ?? true;
    let out = '';
    let run: string[] = [];
    for (const id of ids) {
      const piece = this.idToPiece(id);
      if (piece === undefined || this.specialIds.has(id)) {
        // An id outside vocab.json is <unk>, as in the Python tokenizer.
        if (skipSpecial) continue;
        out += `${decodePieces(run)}${piece ?? this.idToPiece(this.unkTokenId)} `;
        run = [];
      } else {
        run.push(piece);
      }
    }
    out += decodePieces(run);
    const text = out.replaceAll(SPIECE_UNDERLINE, ' ').trim();
    return (options.cleanUpTokenizationSpaces ?? this.cleanUpByDefault) ? cleanUpTokenization(text) : text;
  }

  pieceToId(piece: string): number {
    return this.vocab.get(piece) ?? this.unkTokenId;
  }

  idToPiece(id: number): string | undefined {
    return this.idToPieceTable[id];
  }

  isSpecial(id: number): boolean {
    return this.specialIds.has(id);
  }

  private piecesWith(spm: SentencePieceProcessor, text: string): string[] {
    const pieces: string[] = [];
    let rest = text;
    // remove_language_code: a leading ">>xx<<" is one token, not sentencepiece input.
    if (rest.startsWith('>>')) {
      const end = rest.indexOf('<<');
      if (end !== -1) {
        pieces.push(rest.slice(0, end + 2));
        rest = rest.slice(end + 2);
      }
    }
    for (const part of this.splitOnSpecialTokens(rest)) {
      if (part.special) pieces.push(part.text);
      else if (part.text !== '') pieces.push(...spm.encodePieces(part.text));
    }
    return pieces;
  }

  /** The slow tokenizer's trie split: special tokens' literal text becomes those tokens. */
  private splitOnSpecialTokens(text: string): Array<{ text: string; special: boolean }> {
    const parts: Array<{ text: string; special: boolean }> = [];
    let start = 0;
    let i = 0;
    while (i < text.length) {
      const match = this.specialTokens.find(([token]) => text.startsWith(token, i));
      if (match) {
        parts.push({ text: text.slice(start, i), special: false }, { text: match[0], special: true });
        i += match[0].length;
        start = i;
      } else {
        i++;
      }
    }
    parts.push({ text: text.slice(start), special: false });
    return parts;
  }
}

/** sentencepiece's DecodePieces for ordinary pieces: concatenate, `▁` → space, no leading space. */
function decodePieces(pieces: readonly string[]): string {
  return pieces.join('').replaceAll(SPIECE_UNDERLINE, ' ').replace(/^ /, '');
}
