/** Character-level similarity between two normalised phrases. */
import { distance } from 'fastest-levenshtein';
import { EXACT_MATCH_MAX_CHARS } from './match-threshold.js';

/** 1 − edit distance ÷ the longer length: 1 for identical text, 0 for nothing in common. */
export function levenshteinSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - distance(a, b) / longer;
}

/**
 * The similarity the matcher uses. When either side is very short, one wrong character
 * is already a different phrase (穿鞋 / 脱鞋, 别怕 / 别跑), so short text scores 1 only
 * when it is identical and 0 otherwise.
 */
export function phraseSimilarity(a: string, b: string): number {
  if (Math.min(a.length, b.length) <= EXACT_MATCH_MAX_CHARS) return a === b ? 1 : 0;
  return levenshteinSimilarity(a, b);
}
