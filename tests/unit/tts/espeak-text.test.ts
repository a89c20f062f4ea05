/**
 * The pure parts of the espeak-ng engine and phonemizer: prosody mapping, input escaping,
 * accent resolution against a voice list, espeak-ng's clause rules and Piper's assembly.
 * (The wasm itself is exercised in tests/integration/tts/espeak-*.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { espeakProsody, toEspeakInput } from '../../../pipeline/engines/tts/espeak/espeak-engine.js';
import type { EspeakDataVoice } from '../../../pipeline/engines/tts/espeak/espeak-module.js';
import {
  assembleSentences,
  type EspeakClauseText,
  isEspeakVoice,
  splitEspeakClauses,
} from '../../../pipeline/engines/tts/espeak/espeak-phonemizer.js';
import { ESPEAK_ACCENTS, resolveAccents } from '../../../pipeline/engines/tts/espeak/espeak-voices.js';

const dataVoice = (identifier: string, ...languages: string[]): EspeakDataVoice => ({
  identifier,
  name: identifier,
  languages: languages.map((name, i) => ({ priority: i + 2, name })),
});

const FULL_BUILD = [
  dataVoice('gmw/en', 'en-gb', 'en'),
  dataVoice('gmw/en-US', 'en-us', 'en'),
  dataVoice('gmw/en-GB-x-rp', 'en-gb-x-rp', 'en-gb', 'en'),
  dataVoice('gmw/en-GB-scotland', 'en-gb-scotland', 'en'),
  dataVoice('gmw/en-GB-x-gbclan', 'en-gb-x-gbclan', 'en-gb', 'en'),
  dataVoice('gmw/en-GB-x-gbcwmd', 'en-gb-x-gbcwmd', 'en-gb', 'en'),
  dataVoice('gmw/en-029', 'en-029', 'en'),
  dataVoice('gmw/en-US-nyc', 'en-us-nyc'),
  dataVoice('roa/fr', 'fr-fr', 'fr'),
];

describe('espeakProsody', () => {
  it('maps rate 1 to 175 wpm and pitch 1 to 50, linearly', () => {
    expect(espeakProsody({ rate: 1, pitch: 1 })).toEqual({ wordsPerMinute: 175, pitch: 50 });
    expect(espeakProsody({ rate: 0.85, pitch: 1.1 })).toEqual({ wordsPerMinute: 149, pitch: 55 });
    expect(espeakProsody({ rate: 1.2, pitch: 0.8 })).toEqual({ wordsPerMinute: 210, pitch: 40 });
  });

  it("clamps to espeak-ng's ranges (80–450 wpm, pitch 0–100)", () => {
    expect(espeakProsody({ rate: 0.1, pitch: 3 })).toEqual({ wordsPerMinute: 80, pitch: 100 });
    expect(espeakProsody({ rate: 5, pitch: 0 })).toEqual({ wordsPerMinute: 450, pitch: 0 });
  });

  it('rejects rates and pitches that are not numbers in range', () => {
    expect(() => espeakProsody({ rate: 0, pitch: 1 })).toThrow(RangeError);
    expect(() => espeakProsody({ rate: Number.POSITIVE_INFINITY, pitch: 1 })).toThrow(RangeError);
    expect(() => espeakProsody({ rate: 1, pitch: -0.1 })).toThrow(RangeError);
    expect(() => espeakProsody({ rate: 1, pitch: Number.NaN })).toThrow(RangeError);
  });
});

describe('toEspeakInput', () => {
  it('escapes SSML and breaks up [[ so text is read as text', () => {
    expect(toEspeakInput('Fish & chips <b> [[h@l]]')).toBe('Fish &amp; chips &lt;b&gt; [h@l]]');
    expect(toEspeakInput("Time for bed, sweetie. Don't cry!")).toBe("Time for bed, sweetie. Don't cry!");
  });
});

describe('resolveAccents', () => {
  it('finds every shipped accent in a full build, en-GB as RP', () => {
    const { available, missing } = resolveAccents(FULL_BUILD);
    expect(missing).toEqual([]);
    expect(available.map((a) => [a.accent.name, a.identifier])).toEqual([
      ['en-US', 'gmw/en-US'],
      ['en-GB', 'gmw/en-GB-x-rp'],
      ['en-GB-scotland', 'gmw/en-GB-scotland'],
      ['en-GB-x-gbclan', 'gmw/en-GB-x-gbclan'],
      ['en-GB-x-gbcwmd', 'gmw/en-GB-x-gbcwmd'],
      ['en-029', 'gmw/en-029'],
      ['en-US-nyc', 'gmw/en-US-nyc'],
    ]);
  });

  it('falls back to espeak-ng en-GB without RP, and reports an accent the data lacks', () => {
    const older = FULL_BUILD.filter((v) => !['gmw/en-GB-x-rp', 'gmw/en-US-nyc'].includes(v.identifier));
    const { available, missing } = resolveAccents(older, ESPEAK_ACCENTS);
    expect(available.find((a) => a.accent.name === 'en-GB')?.identifier).toBe('gmw/en');
    expect(missing.map((m) => m.accent.name)).toEqual(['en-US-nyc']);
    expect(missing[0]?.reason).toMatch(/en-US-nyc .* is not in this espeak-ng build's voice data/);
  });

  it('matches voice files without the family directory, in any case (older layouts)', () => {
    const { available } = resolveAccents([dataVoice('en-us', 'en-us')]);
    expect(available.map((a) => [a.accent.name, a.identifier])).toEqual([['en-US', 'en-us']]);
  });
});

describe('isEspeakVoice', () => {
  it('knows identifiers, voice files, names and languages, with or without a variant', () => {
    for (const name of ['gmw/en-US', 'en-us', 'EN-GB-X-RP', 'en-gb', 'fr', 'en-us+f3']) {
      expect(isEspeakVoice(name, FULL_BUILD), name).toBe(true);
    }
    for (const name of ['en-au', 'zz', '', '+f3']) expect(isEspeakVoice(name, FULL_BUILD), name).toBe(false);
  });
});

describe('splitEspeakClauses', () => {
  const split = (text: string) => splitEspeakClauses(text).map((c) => [c.text, c.terminator ?? null, c.endsSentence]);

  it('ends clauses at punctuation followed by a space, keeping what Piper keeps', () => {
    expect(split('Hello, world. How are you? Stop; look: wow!')).toEqual([
      ['Hello,', ',', false],
      ['world.', '.', true],
      ['How are you?', '?', true],
      ['Stop;', ';', false],
      ['look:', ':', false],
      ['wow!', '!', true],
    ]);
  });

  it('does not split numbers, times, or a lone "." before a lower-case word', () => {
    expect(split('I have 3.5 apples at 10:30, e.g. two. Done')).toEqual([
      ['I have 3.5 apples at 10:30,', ',', false],
      ['e.g. two.', '.', true],
      ['Done', null, true],
    ]);
  });

  it('uses the last mark of a run, looks past closing quotes, and splits at dashes and blank lines', () => {
    expect(split('Wow!? He said "hi." Wait... and — then\n\nmore')).toEqual([
      ['Wow!?', '?', true],
      ['He said "hi."', '.', true],
      ['Wait...', '.', true],
      ['and —', null, false],
      ['then', null, false],
      ['more', null, true],
    ]);
  });

  it('gives nothing for blank text', () => {
    expect(splitEspeakClauses('  \n ')).toEqual([]);
  });
});

describe('assembleSentences', () => {
  const clause = (text: string, terminator: EspeakClauseText['terminator']): EspeakClauseText => ({
    text,
    terminator,
    endsSentence: terminator === '.' || terminator === '?' || terminator === '!',
  });

  it("puts Piper's punctuation back and starts a sentence after . ? !", () => {
    expect(
      assembleSentences([
        { phonemes: 'həlˈoʊ', clause: clause('Hello,', ',') },
        { phonemes: 'wˈɜːld', clause: clause('world.', '.') },
        { phonemes: 'lˈʊk', clause: clause('Look:', ':') },
        { phonemes: 'ɐ kˈæt', clause: clause('a cat', undefined) },
        { phonemes: 'jˈeɪ', clause: clause('yay!', '!') },
      ]),
    ).toEqual(['həlˈoʊ, wˈɜːld.', 'lˈʊk: ɐ kˈæt jˈeɪ!']);
  });

  it('drops language-switch flags and decomposes (NFD), as piper-phonemize does', () => {
    const [sentence] = assembleSentences([{ phonemes: '(fr)bɔ̃ʒˈuʁ(en) fˈɹɛnd', clause: clause('x.', '.') }]);
    expect(sentence).toBe('bɔ̃ʒˈuʁ fˈɹɛnd.'.normalize('NFD'));
    expect(sentence).not.toContain('(');
  });
});
