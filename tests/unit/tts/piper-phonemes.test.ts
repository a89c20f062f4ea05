/**
 * Piper's phoneme → id mapping (piper-phonemize): `^ _ p1 _ … pn _ $`, NFD first,
 * phoneme_map applied, unknown phonemes skipped and counted. The ids below were read by
 * hand from en_US-joe-medium.onnx.json's phoneme_id_map (the entries copied here).
 */
import { describe, expect, it } from 'vitest';
import { parsePiperConfig } from '../../../pipeline/engines/tts/piper/piper-config.js';
import { describePhoneme, phonemesToIds, splitPhonemes } from '../../../pipeline/engines/tts/piper/piper-phonemes.js';

/** Entries of en_US-joe-medium.onnx.json's phoneme_id_map, as published. */
const JOE_IDS: Record<string, number[]> = {
  _: [0],
  '^': [1],
  $: [2],
  ' ': [3],
  '!': [4],
  ',': [8],
  '.': [10],
  c: [16],
  d: [17],
  h: [20],
  l: [24],
  o: [27],
  w: [35],
  ð: [41],
  ə: [59],
  ɜ: [62],
  ɪ: [74],
  ʊ: [100],
  ˈ: [120],
  ː: [122],
  '\u0327': [140],
};

describe('Piper phoneme ids', () => {
  it('wraps the phonemes in BOS and EOS with a pad after BOS and after every phoneme', () => {
    const { ids, missing } = phonemesToIds(splitPhonemes('həlˈoʊ wˈɜːld!'), JOE_IDS);
    // ^ _ h _ ə _ l _ ˈ _ o _ ʊ _ ␠ _ w _ ˈ _ ɜ _ ː _ l _ d _ ! _ $
    expect(ids).toEqual([
      1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 4, 0, 2,
    ]);
    expect(missing.size).toBe(0);
  });

  it('decomposes to NFD first, as piper-phonemize does ("ç" is c + combining cedilla)', () => {
    expect(splitPhonemes('ç')).toEqual(['c', '\u0327']);
    expect(phonemesToIds(splitPhonemes('ç'), JOE_IDS).ids).toEqual([1, 0, 16, 0, 140, 0, 2]);
  });

  it('skips phonemes the map lacks and counts them', () => {
    const { ids, missing } = phonemesToIds(splitPhonemes('ðə☃ð☃'), JOE_IDS);
    expect(ids).toEqual([1, 0, 41, 0, 59, 0, 41, 0, 2]);
    expect([...missing]).toEqual([['☃', 2]]);
    expect(describePhoneme('☃')).toBe('U+2603 "☃"');
  });

  it('applies the voice phoneme_map before the lookup, one phoneme to several', () => {
    expect(splitPhonemes('ɚd', { ɚ: ['ə', 'ɹ'] })).toEqual(['ə', 'ɹ', 'd']);
  });

  it('maps a phoneme to several ids when the map says so, each followed by its pad', () => {
    expect(phonemesToIds(['x'], { ...JOE_IDS, x: [7, 8] }).ids).toEqual([1, 0, 7, 8, 0, 2]);
  });

  it('refuses a map without BOS, EOS or PAD, naming the key', () => {
    const config = {
      audio: { sample_rate: 22050 },
      espeak: { voice: 'en-us' },
      phoneme_id_map: { _: [0], '^': [1] },
    };
    expect(() => parsePiperConfig(config, 'voice.onnx.json')).toThrow(/phoneme_id_map\.\$: has no "\$"/);
  });
});
