/**
 * Kokoro's text side: espeak-ng IPA → Kokoro phonemes → token ids.
 *
 * The vocabulary is the model's own (`vocab` in Kokoro-82M's config.json, 114 symbols:
 * punctuation, space, IPA letters, stress and length marks); id 0 is the pad that wraps
 * every sequence. A sequence holds at most 510 phonemes (512 positions with the pads).
 *
 * `kokoroPhonemes` applies the fixes kokoro-onnx and kokoro-js apply to espeak-ng's IPA
 * before tokenising (tokenizer.py / kokoro.js): "kokoro" said the Japanese way, `ʲ`→`j`,
 * `r`→`ɹ`, `x`→`k`, `ɬ`→`l`, a space before "hundred" run into the number before it, a
 * lone "z" joined to its word before punctuation, and American "ninety" with a flap.
 * What is not in the vocabulary is dropped (and reported), as upstream does.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatZodIssue } from '../../../config/format-issues.js';

/** Phonemes in one model call, not counting the two pads. */
export const KOKORO_MAX_PHONEMES = 510;
export const KOKORO_PAD_ID = 0;

export type KokoroVocab = ReadonlyMap<string, number>;

const KokoroConfig = z.looseObject({
  vocab: z.record(z.string(), z.number().int().positive()).superRefine((vocab, ctx) => {
    if (Object.keys(vocab).length === 0) ctx.addIssue({ code: 'custom', message: 'is empty' });
    for (const symbol of Object.keys(vocab)) {
      if ([...symbol].length !== 1)
        ctx.addIssue({ code: 'custom', message: 'expected a single-codepoint symbol', path: [symbol] });
    }
  }),
});

export class KokoroConfigError extends Error {
  override readonly name = 'KokoroConfigError';
}

export function parseKokoroVocab(json: unknown, where: string): KokoroVocab {
  const parsed = KokoroConfig.safeParse(json);
  if (!parsed.success) {
    throw new KokoroConfigError(
      `${where} is not a usable Kokoro config:\n  - ${parsed.error.issues.map((issue) => formatZodIssue(issue, json)).join('\n  - ')}`,
    );
  }
  return new Map(Object.entries(parsed.data.vocab));
}

export async function readKokoroVocab(path: string): Promise<KokoroVocab> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new KokoroConfigError(`${path} is not JSON: ${(error as Error).message}`);
  }
  return parseKokoroVocab(json, path);
}

/** The language a Kokoro voice was trained on, from its name's first letter (a: American, b: British). */
export type KokoroLanguage = 'en-us' | 'en-gb';

export function kokoroLanguageOf(voiceName: string): KokoroLanguage | undefined {
  if (voiceName.startsWith('a')) return 'en-us';
  if (voiceName.startsWith('b')) return 'en-gb';
  return undefined;
}

/** espeak-ng IPA (one clause or more, one per line) → the phoneme string Kokoro was trained on. */
export function kokoroPhonemes(ipa: string, language: KokoroLanguage): string {
  let phonemes = ipa
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ')
    .replaceAll('kəkˈoːɹoʊ', 'kˈoʊkəɹoʊ')
    .replaceAll('kəkˈɔːɹəʊ', 'kˈəʊkəɹəʊ')
    .replaceAll('ʲ', 'j')
    .replaceAll('r', 'ɹ')
    .replaceAll('x', 'k')
    .replaceAll('ɬ', 'l')
    .replace(/(?<=[a-zɹː])(?=hˈʌndɹɪd)/g, ' ')
    .replace(/ z(?=[;:,.!?¡¿—…"«»“” ]|$)/g, 'z');
  if (language === 'en-us') phonemes = phonemes.replace(/(?<=nˈaɪn)ti(?!ː)/g, 'di');
  return phonemes.trim();
}

export interface KokoroTokens {
  /** Vocabulary ids of the phonemes, without the pads. */
  ids: number[];
  /** Symbols not in the vocabulary, dropped, with how often. */
  missing: Map<string, number>;
}

export function tokenize(phonemes: string, vocab: KokoroVocab): KokoroTokens {
  const ids: number[] = [];
  const missing = new Map<string, number>();
  for (const symbol of phonemes) {
    const id = vocab.get(symbol);
    if (id === undefined) missing.set(symbol, (missing.get(symbol) ?? 0) + 1);
    else ids.push(id);
  }
  return { ids, missing };
}

/**
 * Splits ids longer than one call allows into pieces of at most `max`. A piece ends after
 * the last clause punctuation that fits in its second half, else after the last space that
 * fits, else wherever it must, so a long clause is not cut inside a word when it can be helped.
 */
export function chunkTokens(ids: readonly number[], vocab: KokoroVocab, max = KOKORO_MAX_PHONEMES): number[][] {
  const punctuation = new Set([...'.!?;:,—…'].map((symbol) => vocab.get(symbol)).filter((id) => id !== undefined));
  const space = vocab.get(' ');
  const chunks: number[][] = [];
  let start = 0;
  while (ids.length - start > max) {
    let punctuationEnd = -1;
    let spaceEnd = -1;
    for (let i = start + max - 1; i > start && (punctuationEnd < 0 || spaceEnd < 0); i--) {
      const id = ids[i] as number;
      if (punctuationEnd < 0 && punctuation.has(id)) punctuationEnd = i + 1;
      if (spaceEnd < 0 && id === space) spaceEnd = i;
    }
    const end =
      punctuationEnd >= start + max / 2
        ? punctuationEnd
        : spaceEnd > 0
          ? spaceEnd
          : punctuationEnd > 0
            ? punctuationEnd
            : start + max;
    chunks.push(ids.slice(start, end));
    start = end;
    while (start < ids.length && ids[start] === space) start++;
  }
  if (start < ids.length) chunks.push(ids.slice(start));
  return chunks;
}
