/** The VoicePack manifest: defaults, and every problem reported at once with its key path. */
import { describe, expect, it } from 'vitest';
import { checkVoicePackManifest, keyPath, pronunciationForm, VoicePackSchema } from '../../../voices/pack-manifest.js';

const SHA = 'a'.repeat(64);

function espeak(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    id: 'scottish-mei',
    displayName: 'Scottish, for Mei',
    accent: 'en-GB-scotland',
    engine: 'espeak-ng',
    engineVoice: 'en-GB-scotland',
    license: 'CC0-1.0',
    previewLines: ['Hello Mei!'],
    ...overrides,
  };
}

function problemsOf(input: unknown): string[] {
  const checked = checkVoicePackManifest(input);
  if (checked.ok) throw new Error('expected problems, the manifest was accepted');
  return checked.problems;
}

describe('VoicePack manifest', () => {
  it('fills in the child-directed defaults', () => {
    const checked = checkVoicePackManifest(espeak());
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.pack.rate).toBe(0.85);
    expect(checked.pack.pitch).toBe(1);
    expect(checked.pack.pauses).toEqual({ clauseMs: 250, sentenceMs: 450 });
    expect(checked.pack.lexicon).toEqual({});
    expect(checked.pack.model).toBeUndefined();
  });

  it('keeps given values, optional description and author', () => {
    const pack = VoicePackSchema.parse(
      espeak({ rate: 1.2, pitch: 0.9, pauses: { clauseMs: 100 }, description: 'for bedtime', author: 'Ann' }),
    );
    expect(pack).toMatchObject({ rate: 1.2, pitch: 0.9, pauses: { clauseMs: 100, sentenceMs: 450 }, author: 'Ann' });
  });

  it('reports every problem at once, each with its key path', () => {
    const problems = problemsOf(
      espeak({
        schemaVersion: 2,
        id: 'Scottish_Mei',
        accent: 'fr-FR',
        rate: 3,
        pitch: 0.2,
        pauses: { clauseMs: 500, sentenceMs: 100 },
        previewLines: ['Hello', 'Bye', '', '你好'],
        colour: 'blue',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^schemaVersion: must be 1/),
        expect.stringMatching(/^id: must be kebab-case.*\(got "Scottish_Mei"\)$/),
        expect.stringMatching(/^accent: must be a BCP-47-like English tag/),
        'rate: must be ≤ 2 (got 3)',
        'pitch: must be ≥ 0.5 (got 0.2)',
        expect.stringMatching(/^pauses\.sentenceMs: must be at least pauses\.clauseMs/),
        'previewLines[2]: must not be empty (got "")',
        expect.stringMatching(/^previewLines\[3\]: must be English text/),
        expect.stringMatching(/^colour: unknown key \(expected one of schemaVersion, id, /),
      ]),
    );
    expect(problems).toHaveLength(9);
  });

  it('names missing keys', () => {
    const problems = problemsOf({ schemaVersion: 1 });
    for (const key of ['id', 'displayName', 'accent', 'engineVoice', 'license', 'previewLines']) {
      expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${key}: missing; `)));
    }
    expect(problems).toContainEqual(expect.stringMatching(/^engine: must be one of espeak-ng, piper, kokoro/));
  });

  it('refuses what is not an object', () => {
    expect(problemsOf([])).toEqual(['(top level): must be a JSON object (the pack manifest)']);
  });

  it('limits previewLines to 1–5 lines of at most 120 characters', () => {
    expect(problemsOf(espeak({ previewLines: [] }))).toEqual(['previewLines: must hold at least one line']);
    expect(problemsOf(espeak({ previewLines: Array(6).fill('Hi') }))).toEqual([
      'previewLines: must hold at most 5 lines',
    ]);
    expect(problemsOf(espeak({ previewLines: ['a'.repeat(121)] }))[0]).toMatch(
      /^previewLines\[0\]: must be at most 120 characters/,
    );
  });

  it('checks lexicon keys and values, naming each entry', () => {
    const problems = problemsOf(
      espeak({
        lexicon: {
          Mei: 'MAY',
          mei: 'MAY-ee',
          'two  spaces': 'x',
          ' padded': 'x',
          empty: '',
          broken: '[[m',
          'a b c d e f': 'x',
          number: 3,
        },
      }),
    );
    expect(problems).toEqual([
      'lexicon.mei: duplicates "Mei" (words match whatever their case); keep one',
      expect.stringMatching(/^lexicon\["two {2}spaces"\]: key must be a word or a phrase of up to 5 words/),
      expect.stringMatching(/^lexicon\[" padded"\]: key must be a word or a phrase/),
      'lexicon.empty: must not be empty or start or end with spaces',
      expect.stringMatching(/^lexicon\.broken: espeak-ng phonemes must be written \[\[\.\.\.\]\]/),
      expect.stringMatching(/^lexicon\["a b c d e f"\]: key must be a word or a phrase of up to 5 words/),
      'lexicon.number: must be a pronunciation string (got 3)',
    ]);
  });

  it('accepts phrases and respellings', () => {
    const pack = VoicePackSchema.parse(espeak({ lexicon: { 'Mei Lin': 'MAY-lin', 'Nai-nai': 'NYE-nye' } }));
    expect(Object.keys(pack.lexicon)).toEqual(['Mei Lin', 'Nai-nai']);
  });

  it('refuses phoneme notations, which no engine speaks from a lexicon yet', () => {
    expect(problemsOf(espeak({ lexicon: { Mei: '/meɪ/', Lin: "[[l'In]]" } }))).toEqual([
      'lexicon.Mei: /IPA/ entries are not spoken yet; write a respelling in letters, e.g. "MAY-lin"',
      'lexicon.Lin: [[phonemes]] entries are not spoken yet; write a respelling in letters, e.g. "MAY-lin"',
    ]);
    const file = {
      name: 'kokoro.onnx',
      sizeBytes: 10,
      sha256: 'a'.repeat(64),
      sources: [{ kind: 'url', url: 'https://example.org/k.onnx' }],
    };
    const kokoro = espeak({ engine: 'kokoro', engineVoice: 'bf_emma', model: { files: [file] } });
    expect(problemsOf(kokoro).some((p) => /^model: a kokoro pack names its model with catalogId/.test(p))).toBe(true);
  });

  it('checks the voice name against the engine', () => {
    expect(problemsOf(espeak({ engineVoice: 'en-gb-x-klingon' }))[0]).toMatch(
      /^engineVoice: must be one of the espeak-ng voices: en-US, en-GB, en-GB-scotland/,
    );
    expect(checkVoicePackManifest(espeak({ engineVoice: 'en-gb-scotland' })).ok).toBe(true);
    const piper = espeak({ engine: 'piper', engineVoice: 'joe', model: { catalogId: 'piper-en-us-joe-medium' } });
    expect(problemsOf(piper)).toEqual([expect.stringMatching(/^engineVoice: must be an English Piper voice name/)]);
    const kokoro = espeak({ engine: 'kokoro', engineVoice: 'zf_xiaoxiao', model: { catalogId: 'kokoro-82m' } });
    expect(problemsOf(kokoro)).toEqual([expect.stringMatching(/^engineVoice: must be an English Kokoro voice/)]);
  });

  it('requires a model for neural engines and refuses one for espeak-ng', () => {
    expect(problemsOf(espeak({ model: { catalogId: 'x' } }))).toEqual([
      'model: espeak-ng voices are built into the engine; remove the model',
    ]);
    expect(problemsOf(espeak({ engine: 'piper', engineVoice: 'en_US-joe-medium' }))).toEqual([
      'model: missing; a piper pack names its model: a catalogId, or files with sizeBytes, sha256 and sources',
    ]);
    expect(problemsOf(espeak({ engine: 'piper', engineVoice: 'en_US-joe-medium', model: {} }))).toEqual([
      expect.stringMatching(/^model: must name a catalogId .* or list files/),
    ]);
  });

  it('checks model files with the model store schema, by path', () => {
    const problems = problemsOf(
      espeak({
        engine: 'piper',
        engineVoice: 'en_US-joe-medium',
        model: {
          files: [
            { name: '../escape.onnx', sizeBytes: 10, sha256: SHA, sources: [{ kind: 'url', url: 'https://x.org/a' }] },
            { name: 'en_US-joe-medium.onnx', sizeBytes: 0, sha256: 'abc', sources: [] },
          ],
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^model\.files\[0\]\.name: expected a plain name/),
        expect.stringMatching(/^model\.files\[1\]\.sizeBytes: /),
        expect.stringMatching(/^model\.files\[1\]\.sha256: expected 64 lowercase hex characters \(got "abc"\)/),
        expect.stringMatching(/^model\.files\[1\]\.sources: /),
      ]),
    );
  });

  it('wants a Piper voice as its .onnx and .onnx.json, each listed once', () => {
    const file = (name: string) => ({ name, sizeBytes: 1, sha256: SHA, sources: [{ kind: 'mirror', path: name }] });
    const piper = (files: unknown[]) => espeak({ engine: 'piper', engineVoice: 'en_US-joe-medium', model: { files } });
    expect(problemsOf(piper([file('en_US-joe-medium.onnx')]))).toEqual([
      'model.files: a Piper voice is its .onnx model and .onnx.json config; not listed: en_US-joe-medium.onnx.json',
    ]);
    expect(problemsOf(piper([file('en_US-joe-medium.onnx'), file('en_US-joe-medium.onnx')]))).toEqual([
      'model.files[1].name: "en_US-joe-medium.onnx" is listed twice',
    ]);
    expect(checkVoicePackManifest(piper([file('en_US-joe-medium.onnx'), file('en_US-joe-medium.onnx.json')])).ok).toBe(
      true,
    );
  });

  it('reports cross-field problems together with single-field ones', () => {
    const problems = problemsOf(espeak({ rate: 9, model: { catalogId: 'kokoro-82m' } }));
    expect(problems).toEqual([
      'model: espeak-ng voices are built into the engine; remove the model',
      'rate: must be ≤ 2 (got 9)',
    ]);
  });
});

describe('keyPath', () => {
  it('writes paths the way they are indexed', () => {
    expect(keyPath(['model', 'files', 0, 'sha256'])).toBe('model.files[0].sha256');
    expect(keyPath(['previewLines', 2])).toBe('previewLines[2]');
    expect(keyPath(['lexicon', 'Mei Lin'])).toBe('lexicon["Mei Lin"]');
    expect(keyPath([])).toBe('(top level)');
  });
});

describe('pronunciationForm', () => {
  it('tells espeak phonemes, IPA and respellings apart', () => {
    expect(pronunciationForm("[[m'eI]]")).toBe('espeak-phonemes');
    expect(pronunciationForm('/meɪ/')).toBe('ipa');
    expect(pronunciationForm('MAY-lin')).toBe('respelling');
    expect(pronunciationForm('[[]]')).toHaveProperty('problem');
    expect(pronunciationForm('m@y!')).toHaveProperty('problem');
  });
});
