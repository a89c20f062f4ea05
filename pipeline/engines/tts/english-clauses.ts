/**
 * Splits English into the clauses synthesis works on, so the first clause can be spoken
 * while the rest is still being synthesised. A clause ends at sentence punctuation, or at
 * a comma / semicolon / colon / dash once it has a few words (a two-word "Okay, sweetie"
 * stays whole: a pause after one word sounds odd to a child). Each clause records whether
 * it ends a sentence, so the stream can put the longer pause there.
 */
export interface EnglishClause {
  text: string;
  endsSentence: boolean;
}

/** A clause shorter than this many words is joined to the next at a comma. */
const MIN_WORDS_BEFORE_COMMA_BREAK = 3;

export function splitEnglishClauses(text: string): EnglishClause[] {
  const clauses: EnglishClause[] = [];
  // Pieces ending in punctuation (kept), plus a trailing piece without any.
  const pieces = text.match(/[^.!?…,;:—]+(?:[.!?…]+["”’)]*|[,;:—]|$)/g) ?? [];
  let pending = '';
  for (const raw of pieces) {
    const piece = raw.trim();
    if (piece === '') continue;
    pending = pending ? `${pending} ${piece}` : piece;
    const endsSentence = /[.!?…]["”’)]*$/.test(piece);
    const wordCount = pending.split(/\s+/).length;
    if (endsSentence || (/[,;:—]$/.test(piece) && wordCount >= MIN_WORDS_BEFORE_COMMA_BREAK)) {
      clauses.push({ text: pending, endsSentence });
      pending = '';
    }
  }
  if (pending) clauses.push({ text: pending, endsSentence: true });
  return clauses.filter((clause) => /[\p{L}\p{N}]/u.test(clause.text));
}
