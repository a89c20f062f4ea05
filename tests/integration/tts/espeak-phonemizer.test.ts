/**
 * espeak-ng phonemization on the real wasm build: IPA as espeak-ng produces it, with the
 * punctuation and sentence split Piper's phonemizer adds.
 */
import { describe, expect, it } from 'vitest';
import { loadEspeakRuntime } from '../../../pipeline/engines/tts/espeak/espeak-module.js';
import {
  phonemize,
  phonemizeClauses,
  phonemizeSentences,
} from '../../../pipeline/engines/tts/espeak/espeak-phonemizer.js';
import { TtsCancelledError, UnknownVoiceError } from '../../../pipeline/engines/tts/tts-engine.js';

describe('phonemize', () => {
  it('gives espeak-ng IPA for a simple word', async () => {
    const ipa = await phonemize('hello', 'en-us');
    expect(ipa).toContain('h');
    expect(ipa).toContain('ə');
    expect(ipa).toContain('l');
    expect(ipa).toContain('ˈ');
    expect(ipa).toBe('həlˈoʊ');
  });

  it('differs between American and British English', async () => {
    const us = await phonemize('tomato bath', 'en-us');
    const gb = await phonemize('tomato bath', 'en-gb');
    const rp = await phonemize('tomato bath', 'en-gb-x-rp');
    expect(us).toBe('təmˈeɪɾoʊ bˈæθ');
    expect(rp).toBe('təmˈɑːtəʊ bˈɑːθ');
    expect(gb).not.toBe(us);
    expect(gb).toContain('təmˈɑːtəʊ');
  });

  it('keeps punctuation and splits sentences as Piper does', async () => {
    expect(await phonemizeSentences('Hello, world. How are you? Stop; look: wow!', 'en-us')).toEqual([
      'həlˈoʊ, wˈɜːld.',
      'hˈaʊ ɑːɹ juː?',
      'stˈɑːp; lˈʊk: wˈaʊ!',
    ]);
    expect(await phonemize('Hello, world. How are you?', 'en-us')).toBe('həlˈoʊ, wˈɜːld. hˈaʊ ɑːɹ juː?');
  });

  it("returns espeak-ng's own clauses, punctuation dropped, with the terminator beside them", async () => {
    const clauses = await phonemizeClauses('Okay, sweetie, time for bed. I have 3.5 apples!', 'en-us');
    expect(clauses.map((c) => [c.phonemes, c.clause.terminator])).toEqual([
      ['oʊkˈeɪ', ','],
      ['swˈiːɾi', ','],
      ['tˈaɪm fɔːɹ bˈɛd', '.'],
      ['aɪ hæv θɹˈiː pɔɪnt fˈaɪv ˈæpəlz', '!'],
    ]);
  });

  it('matches what espeak-ng returns for the whole text, clause by clause', async () => {
    const text = 'Good job, you did it all by yourself! Mr. Smith is here. e.g. two';
    const runtime = await loadEspeakRuntime();
    const whole = await runtime.run((session) => {
      session.selectVoice('en-gb-x-rp');
      return session.textToPhonemes(text);
    });
    expect((await phonemizeClauses(text, 'en-gb-x-rp')).map((c) => c.phonemes)).toEqual(whole);
  });

  it('accepts every accent collar ships, by voice file or identifier', async () => {
    const outputs = new Set<string>();
    for (const name of [
      'en-US',
      'en-GB-x-rp',
      'en-GB-scotland',
      'en-GB-x-gbclan',
      'gmw/en-GB-x-gbcwmd',
      'en-029',
      'en-US-nyc',
    ]) {
      const ipa = await phonemize('Do you want a bath?', name);
      expect(ipa.endsWith('?'), name).toBe(true);
      outputs.add(ipa);
    }
    expect(outputs.size).toBeGreaterThanOrEqual(5);
  });

  it('returns NFD-normalised text, as Piper does', async () => {
    const ipa = await phonemize('Bonjour, mon ami.', 'fr');
    expect(ipa).toBe(ipa.normalize('NFD'));
    expect(ipa).toContain('\u0303');
  });

  it('gives nothing for empty text', async () => {
    expect(await phonemize('   ', 'en-us')).toBe('');
  });

  it('rejects an unknown voice, listing the English voices', async () => {
    const attempt = phonemize('hello', 'en-AU');
    await expect(attempt).rejects.toBeInstanceOf(UnknownVoiceError);
    await expect(attempt).rejects.toThrow(/en-us.*en-us-nyc|en-US.*en-US-nyc/);
  });

  it('rejects when aborted before it starts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(phonemize('hello', 'en-us', { signal: controller.signal })).rejects.toBeInstanceOf(TtsCancelledError);
  });
});
