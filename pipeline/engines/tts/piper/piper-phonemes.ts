/**
 * Phonemes → model ids, as piper-phonemize does it (phonemize.cpp, phoneme_ids.cpp):
 * espeak-ng's IPA is NFD-decomposed (so "ç" is "c" + U+0327, tones and diacritics stand
 * alone), split into codepoints, each codepoint replaced through the voice's
 * `phoneme_map` when it has an entry; then the ids are BOS, PAD, and for every phoneme its
 * ids followed by PAD, and EOS last: `^ _ p1 _ p2 _ … pn _ $`. A phoneme the map lacks is
 * skipped and counted, never guessed.
 */
import { PIPER_BOS, PIPER_EOS, PIPER_PAD } from './piper-config.js';

export type PhonemeIdMap = Readonly<Record<string, readonly number[]>>;
export type PhonemeMap = Readonly<Record<string, readonly string[]>>;

/** One phoneme per codepoint of the NFD form, after `phonemeMap`. */
export function splitPhonemes(ipa: string, phonemeMap: PhonemeMap = {}): string[] {
  const phonemes: string[] = [];
  for (const codepoint of ipa.normalize('NFD')) {
    const mapped = phonemeMap[codepoint];
    if (mapped) phonemes.push(...mapped);
    else phonemes.push(codepoint);
  }
  return phonemes;
}

export interface PhonemeIds {
  ids: number[];
  /** Phonemes the map has no ids for, with how often each was skipped. */
  missing: Map<string, number>;
}

function idsOf(map: PhonemeIdMap, symbol: string): readonly number[] {
  const ids = map[symbol];
  if (!ids) throw new Error(`the phoneme_id_map has no "${symbol}"`);
  return ids;
}

export function phonemesToIds(phonemes: readonly string[], idMap: PhonemeIdMap): PhonemeIds {
  const pad = idsOf(idMap, PIPER_PAD);
  const ids: number[] = [...idsOf(idMap, PIPER_BOS), ...pad];
  const missing = new Map<string, number>();
  for (const phoneme of phonemes) {
    const mapped = idMap[phoneme];
    if (!mapped) {
      missing.set(phoneme, (missing.get(phoneme) ?? 0) + 1);
      continue;
    }
    ids.push(...mapped, ...pad);
  }
  ids.push(...idsOf(idMap, PIPER_EOS));
  return { ids, missing };
}

/** `U+0303 "̃"` style, so an invisible or combining phoneme can be read in a log line. */
export function describePhoneme(phoneme: string): string {
  const codepoint = phoneme.codePointAt(0) ?? 0;
  return `U+${codepoint.toString(16).toUpperCase().padStart(4, '0')} "${phoneme}"`;
}
