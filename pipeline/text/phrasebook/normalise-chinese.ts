/**
 * Brings recognised Mandarin and phrasebook variants to one comparable form, so matching
 * compares what was said rather than how the recogniser wrote it down. Both sides go
 * through the same function, so an entry always matches its own variants exactly.
 */
import { TRADITIONAL_TO_SIMPLIFIED } from './traditional-to-simplified.js';

/**
 * Sentence-final particles that soften a phrase without changing what it asks for
 * ("吃饭啦" = "吃饭"). 吗 is not here: it turns a statement into a question.
 */
const SOFTENING_FINAL_PARTICLES = new Set(['吧', '啊', '呀', '哦', '啦', '嘛', '呢']);

/** Hesitation sounds; recognisers write them out but they carry nothing. */
const HESITATIONS = /[嗯呃]/gu;

/**
 * "那个" at the very start of an utterance is almost always the "um…" filler. As the
 * demonstrative ("that one") it is stripped from the variants too, so nothing in the book
 * stops matching itself; it only costs a little discrimination.
 */
const LEADING_FILLER = '那个';

/** A phrase keeps at least this many characters after fillers and particles are dropped. */
const MIN_KEPT_CHARS = 2;

/** Anything that is not a letter or a digit: punctuation, spaces, symbols, emoji and their joiners. */
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

export function normaliseChinese(text: string): string {
  let result = text.normalize('NFKC').toLowerCase();
  result = Array.from(result, (char) => TRADITIONAL_TO_SIMPLIFIED.get(char) ?? char).join('');
  result = result.replace(NOT_LETTER_OR_DIGIT, '').replace(HESITATIONS, '');
  while (result.startsWith(LEADING_FILLER) && result.length - LEADING_FILLER.length >= MIN_KEPT_CHARS) {
    result = result.slice(LEADING_FILLER.length);
  }
  while (result.length > MIN_KEPT_CHARS && SOFTENING_FINAL_PARTICLES.has(result.at(-1) ?? '')) {
    result = result.slice(0, -1);
  }
  return result;
}
