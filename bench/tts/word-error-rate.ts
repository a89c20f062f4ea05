/**
 * Word error rate: word-level edit distance between what a recogniser heard and what was
 * said, over the number of words said. Case and punctuation are ignored.
 */
import { distance } from 'fastest-levenshtein';

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

export function wordErrorRate(hypothesis: string, reference: string): number {
  const ref = words(reference);
  const hyp = words(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  // Map each distinct word to one character, so a string edit distance counts word edits.
  const codes = new Map<string, string>();
  const encode = (list: string[]) =>
    list
      .map((word) => {
        let code = codes.get(word);
        if (code === undefined) {
          code = String.fromCodePoint(0x4e00 + codes.size);
          codes.set(word, code);
        }
        return code;
      })
      .join('');
  return distance(encode(hyp), encode(ref)) / ref.length;
}
