import { describe, expect, it } from 'vitest';
import { wordErrorRate } from '../../../bench/tts/word-error-rate.js';

describe('wordErrorRate', () => {
  it('counts word substitutions, insertions and deletions over the reference length', () => {
    expect(wordErrorRate('time for bed', 'Time for bed!')).toBe(0);
    expect(wordErrorRate('time for red', 'time for bed')).toBeCloseTo(1 / 3);
    expect(wordErrorRate('time bed', 'time for bed')).toBeCloseTo(1 / 3);
    expect(wordErrorRate('it is time for bed now', 'time for bed')).toBeCloseTo(3 / 3);
    expect(wordErrorRate('', 'time for bed')).toBe(1);
    expect(wordErrorRate('', '')).toBe(0);
  });
});
