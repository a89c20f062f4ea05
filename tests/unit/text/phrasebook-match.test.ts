import { describe, expect, it } from 'vitest';
import type { PhraseEntry } from '../../../pipeline/text/phrasebook/entry-schema.js';
import { EXACT_MATCH_MAX_CHARS, MATCH_THRESHOLD } from '../../../pipeline/text/phrasebook/match-threshold.js';
import { Phrasebook } from '../../../pipeline/text/phrasebook/phrasebook.js';
import { levenshteinSimilarity, phraseSimilarity } from '../../../pipeline/text/phrasebook/similarity.js';

const entries: PhraseEntry[] = [
  { id: 'bedtime-long', category: 'bedtime', zh: ['宝贝该上床睡觉了哦'], en: 'Time to get into bed, sweetie.' },
  { id: 'shoes-on', category: 'getting-dressed', zh: ['穿鞋'], en: 'Shoes on, please.' },
  { id: 'shoes-off', category: 'getting-dressed', zh: ['脱鞋'], en: 'Shoes off, please.' },
  { id: 'eat', category: 'meals', zh: ['你想吃什么'], en: 'What would you like to eat?' },
  { id: 'twin-a', category: 'play', zh: ['我们一起去公园玩'], en: "Let's go play in the park." },
  { id: 'twin-b', category: 'play', zh: ['我们一起去公园吧'], en: "Let's go to the park." },
];
const book = new Phrasebook(entries);

describe('Phrasebook.match', () => {
  it('forgives a homophone in a long phrase', () => {
    // 8 normalised characters, one wrong: 1 − 1/8 = 0.875.
    const match = book.match('宝贝该上床睡叫了');
    expect(match?.entry.id).toBe('bedtime-long');
    expect(match?.similarity).toBeCloseTo(0.875);
  });

  it('ignores fillers, punctuation and a softening particle', () => {
    expect(book.match('嗯，那个，宝贝该上床睡觉了啊！')?.similarity).toBe(1);
  });

  it('refuses a one-character change that changes the meaning of a short phrase', () => {
    expect(book.match('你想喝什么')).toBeUndefined();
    expect(book.match('穿鞋')?.entry.id).toBe('shoes-on');
    expect(book.match('脱鞋')?.entry.id).toBe('shoes-off');
    expect(book.match('拖鞋')).toBeUndefined();
  });

  it('refuses text that is as close to two entries', () => {
    // twin-b normalises to 我们一起去公园 (吧 dropped): 看 is one substitution from twin-a
    // and one insertion from twin-b, 0.875 from both.
    const scored = book.score('我们一起去公园看');
    expect(scored?.best.similarity).toBe(0.875);
    expect(scored?.bestOtherEntrySimilarity).toBe(0.875);
    expect(book.match('我们一起去公园看')).toBeUndefined();
  });

  it('gives nothing for empty, filler-only or unrelated text', () => {
    expect(book.match('')).toBeUndefined();
    expect(book.match('嗯。。。')).toBeUndefined();
    expect(book.match('今天天气真好')).toBeUndefined();
  });

  it('lets a phrasebook use its own threshold', () => {
    expect(new Phrasebook(entries, 0.99).match('宝贝该上床睡叫了')).toBeUndefined();
    expect(new Phrasebook(entries).threshold).toBe(MATCH_THRESHOLD);
  });
});

describe('phraseSimilarity', () => {
  it('is exact-only for short text on either side', () => {
    expect(EXACT_MATCH_MAX_CHARS).toBe(3);
    expect(phraseSimilarity('别怕', '别跑')).toBe(0);
    expect(levenshteinSimilarity('别怕', '别跑')).toBe(0.5);
    expect(phraseSimilarity('换衣服', '换衣服')).toBe(1);
    expect(phraseSimilarity('吐出来', '吐出来了')).toBe(0);
    expect(phraseSimilarity('该出来了', '吐出来了')).toBe(0.75);
  });
});
