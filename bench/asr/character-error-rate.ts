/**
 * Character error rate for Chinese: edit distance between the recognised and reference
 * characters over the reference length, with punctuation and spaces removed and
 * full-width forms folded (NFKC) so formatting differences do not count as errors.
 */
import { distance } from 'fastest-levenshtein';

export function normaliseForCer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]/gu, '');
}

export function characterErrorRate(hypothesis: string, reference: string): number {
  const ref = normaliseForCer(reference);
  const hyp = normaliseForCer(hypothesis);
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return distance(hyp, ref) / ref.length;
}
