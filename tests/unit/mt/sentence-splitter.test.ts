import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../../pipeline/engines/mt/sentence-splitter.js';

describe('splitSentences', () => {
  it('splits a turn at Chinese sentence ends, keeping each terminator with its sentence', () => {
    expect(splitSentences('宝宝，该睡觉了。明天见！你听到了吗？我们走吧；好……')).toEqual([
      '宝宝，该睡觉了。',
      '明天见！',
      '你听到了吗？',
      '我们走吧；',
      '好……',
    ]);
  });

  it('splits at ASCII terminators, keeps runs and closing quotes together, and trims', () => {
    expect(splitSentences('  你好!  真的吗?! 他说：“走吧。”然后走了. OK... 好  ')).toEqual([
      '你好!',
      '真的吗?!',
      '他说：“走吧。”',
      '然后走了.',
      'OK...',
      '好',
    ]);
  });

  it('does not split at a decimal point or inside a domain name', () => {
    expect(splitSentences('今天28.5度，去www.example.cn看看。好')).toEqual([
      '今天28.5度，去www.example.cn看看。',
      '好',
    ]);
  });

  it('splits an over-long sentence at ，, packing clauses up to the limit', () => {
    const sentence = '我们今天早上去了公园，看到了很多小鸟、小狗和小猫，然后在湖边吃了午饭，下午回家睡觉。';
    const pieces = splitSentences(sentence, { maxClauseChars: 20 });
    expect(pieces).toEqual([
      '我们今天早上去了公园，',
      '看到了很多小鸟、小狗和小猫，',
      '然后在湖边吃了午饭，下午回家睡觉。',
    ]);
    expect(pieces.join('')).toBe(sentence);
    expect(splitSentences(sentence, { maxClauseChars: 50 })).toEqual([sentence]);
  });

  it('uses 、 only for a comma clause that is still too long', () => {
    expect(splitSentences('看到了很多小鸟、小狗和小猫，然后回家。', { maxClauseChars: 10 })).toEqual([
      '看到了很多小鸟、',
      '小狗和小猫，',
      '然后回家。',
    ]);
  });

  it('cuts a piece with no punctuation at the hard limit, at a space when there is one', () => {
    expect(splitSentences('一二三四五六七八九十', { maxClauseChars: 3, maxSentenceChars: 4 })).toEqual([
      '一二三四',
      '五六七八',
      '九十',
    ]);
    expect(splitSentences('aaa bbb ccc', { maxClauseChars: 2, maxSentenceChars: 5 })).toEqual(['aaa', 'bbb', 'ccc']);
  });

  it('never returns empty or punctuation-only pieces', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\t ')).toEqual([]);
    expect(splitSentences('。。你好。！')).toEqual(['。。你好。！']);
    expect(splitSentences('你好。 。 再见')).toEqual(['你好。。', '再见']);
    expect(splitSentences('😀')).toEqual(['😀']);
    expect(splitSentences('Привет, мир. 😀')).toEqual(['Привет, мир.😀']);
  });

  it('property: pieces are non-empty, trimmed, and together hold every non-space character in order', () => {
    const alphabet = fc.constantFrom(...'我你好。，、！？；…. !?;,a1😀”'.split(''), '…', ' ', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 120 }), fc.integer({ min: 1, max: 30 }), (chars, max) => {
        const text = chars.join('');
        const pieces = splitSentences(text, { maxClauseChars: max });
        for (const piece of pieces) {
          expect(piece).not.toBe('');
          expect(piece).toBe(piece.trim());
        }
        const strip = (value: string) => value.replace(/\s/gu, '');
        expect(strip(pieces.join(''))).toBe(strip(text));
      }),
      { seed: 20240717, numRuns: 300 },
    );
  });
});
