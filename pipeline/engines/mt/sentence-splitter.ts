/**
 * Splits one recognised turn into pieces the translator handles one at a time: sentences
 * at 。！？；… (and . ! ? ; in their ASCII / half-width forms), then clauses of an over-long
 * sentence at ，(and ASCII commas), then 、, packed back together up to `maxClauseChars`.
 * Short pieces translate faster and better with a small Marian model, repeat more often
 * (so the cache hits), and let speech start while the rest is still being translated.
 *
 * Rules:
 * - a run of terminators (`？！`, `……`, `...`) stays together, with the closing quotes and
 *   brackets right after it, at the end of its sentence;
 * - an ASCII `.` ends a sentence only before whitespace, the end, a closing quote or a CJK
 *   character — never inside `3.5` or `www.x.cn`;
 * - a piece with no letter or digit (a stray `。`, an emoji) joins the piece before it (or,
 *   at the start, the one after it), so no piece is punctuation alone;
 * - a clause still longer than `maxSentenceChars` is cut there (at a space if it has one):
 *   a bound on input length, for text that arrives with no punctuation at all;
 * - pieces are trimmed; an empty or blank text gives no pieces, never an empty one.
 *
 * Lengths are counted in Unicode code points.
 */

export interface SentenceSplitterOptions {
  /** A sentence longer than this is split at clause marks (default 40). */
  maxClauseChars?: number;
  /** Hard cap on a piece without any usable split point (default 200). */
  maxSentenceChars?: number;
}

export const DEFAULT_MAX_CLAUSE_CHARS = 40;
export const DEFAULT_MAX_SENTENCE_CHARS = 200;

const TERMINATORS = new Set(['。', '．', '｡', '！', '？', '；', '…', '‥', '!', '?', ';', '‼', '⁇', '⁈', '⁉']);
const CLOSERS = new Set(['”', '’', '"', "'", '）', ')', '】', ']', '」', '』', '》', '〉', '〕', '｝', '}']);
/** Clause marks, in the order they are used: commas first, then enumeration commas. */
const CLAUSE_MARK_LEVELS = [new Set(['，', ',', '﹐']), new Set(['、', '､'])];
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const CONTENT = /[\p{L}\p{N}]/u;

const length = (text: string): number => [...text].length;

function isSentenceEnd(chars: readonly string[], i: number): boolean {
  const char = chars[i] as string;
  if (TERMINATORS.has(char)) return true;
  if (char !== '.') return false;
  const next = chars[i + 1];
  return next === undefined || /\s/u.test(next) || CLOSERS.has(next) || next === '.' || CJK.test(next);
}

/** Sentences, each ending with its terminator run and closing quotes. */
function splitAtTerminators(text: string): string[] {
  const chars = [...text];
  const sentences: string[] = [];
  let current = '';
  let i = 0;
  while (i < chars.length) {
    current += chars[i];
    if (isSentenceEnd(chars, i)) {
      i++;
      while (i < chars.length && isSentenceEnd(chars, i)) current += chars[i++];
      while (i < chars.length && CLOSERS.has(chars[i] as string)) current += chars[i++];
      sentences.push(current);
      current = '';
    } else {
      i++;
    }
  }
  if (current !== '') sentences.push(current);
  return sentences;
}

/** Cut a piece with no clause marks into parts of at most `max` code points, at spaces when possible. */
function hardSplit(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = [...text];
  while (rest.length > max) {
    let cut = max;
    for (let i = max; i > max / 2; i--) {
      if (/\s/u.test(rest[i] as string)) {
        cut = i;
        break;
      }
    }
    parts.push(rest.slice(0, cut).join(''));
    rest = rest.slice(cut);
  }
  parts.push(rest.join(''));
  return parts;
}

/** `text` cut after each of `marks`, the marks kept at the end of their clause. */
function splitAfter(text: string, marks: ReadonlySet<string>): string[] {
  const clauses: string[] = [];
  let current = '';
  for (const char of text) {
    current += char;
    if (marks.has(char)) {
      clauses.push(current);
      current = '';
    }
  }
  if (current !== '') clauses.push(current);
  return clauses;
}

/** Consecutive clauses joined greedily into chunks of at most `max` code points. */
function pack(clauses: readonly string[], max: number): string[] {
  const packed: string[] = [];
  let chunk = '';
  for (const clause of clauses) {
    if (chunk !== '' && length(chunk) + length(clause) > max) {
      packed.push(chunk);
      chunk = '';
    }
    chunk += clause;
  }
  if (chunk !== '') packed.push(chunk);
  return packed;
}

/**
 * An over-long sentence → clauses at commas, packed up to `maxClauseChars`; a chunk still
 * too long is split again at enumeration commas (、, which separate list items, so they
 * come second); a piece still over `maxSentenceChars` is cut.
 */
function splitLongSentence(sentence: string, maxClauseChars: number, maxSentenceChars: number): string[] {
  let pieces = [sentence];
  for (const marks of CLAUSE_MARK_LEVELS)
    pieces = pieces.flatMap((piece) =>
      length(piece) > maxClauseChars ? pack(splitAfter(piece, marks), maxClauseChars) : [piece],
    );
  return pieces.flatMap((piece) => (length(piece) > maxSentenceChars ? hardSplit(piece, maxSentenceChars) : [piece]));
}

export function splitSentences(text: string, options: SentenceSplitterOptions = {}): string[] {
  const maxClauseChars = options.maxClauseChars ?? DEFAULT_MAX_CLAUSE_CHARS;
  const maxSentenceChars = Math.max(options.maxSentenceChars ?? DEFAULT_MAX_SENTENCE_CHARS, maxClauseChars);
  if (!(maxClauseChars >= 1)) throw new RangeError(`maxClauseChars must be at least 1, got ${maxClauseChars}`);

  const pieces = splitAtTerminators(text)
    .flatMap((sentence) =>
      length(sentence.trim()) > maxClauseChars
        ? splitLongSentence(sentence, maxClauseChars, maxSentenceChars)
        : [sentence],
    )
    .map((piece) => piece.trim())
    .filter((piece) => piece !== '');

  // Punctuation- or symbol-only pieces join a neighbour.
  const merged: string[] = [];
  let pending = '';
  for (const piece of pieces) {
    if (!CONTENT.test(piece)) {
      if (merged.length > 0) merged[merged.length - 1] += piece;
      else pending += piece;
      continue;
    }
    merged.push(pending + piece);
    pending = '';
  }
  if (pending !== '') merged.push(pending);
  return merged;
}
