/**
 * Kokoro's text side and voice files: espeak-ng IPA → Kokoro phonemes (kokoro-onnx's
 * fixes) → ids of the model's vocabulary (the entries below are copied from Kokoro-82M's
 * config.json), splitting past 510 phonemes, style rows by length, and the joining of a
 * model split into parts, checked against the whole file's size and sha256.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinParts, orderedParts } from '../../../pipeline/engines/tts/kokoro/kokoro-model-file.js';
import {
  chunkTokens,
  KokoroConfigError,
  kokoroLanguageOf,
  kokoroPhonemes,
  parseKokoroVocab,
  tokenize,
} from '../../../pipeline/engines/tts/kokoro/kokoro-tokens.js';
import { KOKORO_STYLE_DIM, KokoroVoice } from '../../../pipeline/engines/tts/kokoro/kokoro-voices.js';
import { ModelIntegrityError } from '../../../pipeline/models/index.js';
import { tempDir } from '../../helpers/model-cache.js';

/** Entries of Kokoro-82M's config.json `vocab`, as published. */
const VOCAB = parseKokoroVocab(
  {
    vocab: {
      ',': 3,
      '.': 4,
      '!': 5,
      ' ': 16,
      a: 43,
      b: 44,
      d: 46,
      h: 50,
      i: 51,
      k: 53,
      l: 54,
      n: 56,
      o: 57,
      t: 62,
      z: 68,
      ɑ: 69,
      ð: 81,
      ə: 83,
      ɹ: 123,
      ʊ: 135,
      ˈ: 156,
      ː: 158,
    },
  },
  'config.json',
);

describe('Kokoro tokens', () => {
  it('maps each phoneme to its vocabulary id and drops (and counts) what the vocabulary lacks', () => {
    const { ids, missing } = tokenize('həlˈoʊ, ðə☃ dˈɑːɡ.', VOCAB);
    // h50 ə83 l54 ˈ156 o57 ʊ135 ,3 ␠16 ð81 ə83 ␠16 d46 ˈ156 ɑ69 ː158 (ɡ not in this subset) .4
    expect(ids).toEqual([50, 83, 54, 156, 57, 135, 3, 16, 81, 83, 16, 46, 156, 69, 158, 4]);
    expect([...missing]).toEqual([
      ['☃', 1],
      ['ɡ', 1],
    ]);
  });

  it("applies kokoro-onnx's fixes to espeak-ng's IPA", () => {
    expect(kokoroPhonemes('kəkˈoːɹoʊ', 'en-us')).toBe('kˈoʊkəɹoʊ');
    expect(kokoroPhonemes('kəkˈɔːɹəʊ', 'en-gb')).toBe('kˈəʊkəɹəʊ');
    expect(kokoroPhonemes('rʲxɬ', 'en-us')).toBe('ɹjkl');
    expect(kokoroPhonemes('θɹˈiːhˈʌndɹɪd', 'en-gb')).toBe('θɹˈiː hˈʌndɹɪd');
    expect(kokoroPhonemes('ɪts z.', 'en-us')).toBe('ɪtsz.');
    expect(kokoroPhonemes('nˈaɪnti', 'en-us')).toBe('nˈaɪndi');
    expect(kokoroPhonemes('nˈaɪnti', 'en-gb')).toBe('nˈaɪnti');
    expect(kokoroPhonemes('ðə dˈɑːɡ.\nbˈɪɡ.\n', 'en-us')).toBe('ðə dˈɑːɡ. bˈɪɡ.');
  });

  it('knows the language of American and British voices only', () => {
    expect(kokoroLanguageOf('af_heart')).toBe('en-us');
    expect(kokoroLanguageOf('bm_george')).toBe('en-gb');
    expect(kokoroLanguageOf('jf_alpha')).toBeUndefined();
  });

  it('refuses a config whose vocab is missing or has multi-codepoint symbols, naming the key', () => {
    expect(() => parseKokoroVocab({ n_token: 178 }, 'config.json')).toThrow(
      /config\.json is not a usable Kokoro config/,
    );
    expect(() => parseKokoroVocab({ vocab: { ab: 3 } }, 'config.json')).toThrow(
      /vocab\.ab: expected a single-codepoint symbol/,
    );
    expect(() => parseKokoroVocab({ vocab: {} }, 'c')).toThrow(KokoroConfigError);
  });
});

describe('splitting past 510 phonemes', () => {
  const word = [50, 83, 54]; // həl
  const sentence = (words: number) => Array.from({ length: words }, () => word).flatMap((w, i) => (i ? [16, ...w] : w));

  it('leaves a short sequence whole', () => {
    expect(chunkTokens(sentence(10), VOCAB)).toEqual([sentence(10)]);
  });

  it('cuts at a space, never inside a word, and drops the space', () => {
    const ids = sentence(200); // 799 ids
    const chunks = chunkTokens(ids, VOCAB);
    expect(chunks.length).toBe(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(510);
      expect(chunk[0]).toBe(50);
      expect(chunk.at(-1)).toBe(54);
    }
    expect(chunks.flat().length).toBe(ids.length - 1);
  });

  it('prefers the last clause punctuation in the second half of the window', () => {
    const ids = [...sentence(100), 3, 16, ...sentence(100)]; // "…həl, həl…": comma at 399
    const [first, second] = chunkTokens(ids, VOCAB);
    expect(first?.at(-1)).toBe(3);
    expect(first?.length).toBe(400);
    expect(second?.[0]).toBe(50);
  });

  it('cuts hard when there is nowhere better', () => {
    const chunks = chunkTokens(new Array(1100).fill(43), VOCAB);
    expect(chunks.map((chunk) => chunk.length)).toEqual([510, 510, 80]);
  });
});

describe('Kokoro voice files', () => {
  it('picks style row n - 1 for n phonemes, clamped to the rows there are', () => {
    const rows = new Float32Array(510 * KOKORO_STYLE_DIM).map((_, i) => Math.floor(i / KOKORO_STYLE_DIM));
    const voice = KokoroVoice.fromBytes('af_test', new Uint8Array(rows.buffer));
    expect(voice.rowCount).toBe(510);
    expect(voice.styleFor(1)[0]).toBe(0);
    expect(voice.styleFor(80)[255]).toBe(79);
    expect(voice.styleFor(510)[0]).toBe(509);
    expect(voice.styleFor(0)[0]).toBe(0);
    expect(voice.styleFor(2000)[0]).toBe(509);
  });

  it('refuses a file that is not whole rows of 256 floats', () => {
    expect(() => KokoroVoice.fromBytes('af_bad', new Uint8Array(1000), 'af_bad.bin')).toThrow(
      /af_bad\.bin is not a Kokoro voice: 1000 bytes/,
    );
  });
});

describe('a model in parts', () => {
  let dir: ReturnType<typeof tempDir>;
  const whole = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 251));
  const expected = {
    name: 'model.onnx',
    sizeBytes: whole.length,
    sha256: createHash('sha256').update(whole).digest('hex'),
  };
  let parts: string[];

  beforeAll(() => {
    dir = tempDir('kokoro-parts');
    parts = [0, 400, 800].map((start, index) => {
      const path = join(dir.path, `model.onnx.part${index + 1}`);
      writeFileSync(path, whole.subarray(start, Math.min(start + 400, whole.length)));
      return path;
    });
  });
  afterAll(() => dir.remove());

  it('orders parts by number and notices a gap', () => {
    expect(() => orderedParts(['model.onnx.part1', 'model.onnx.part3'], 'model.onnx')).toThrow(/part 2 is missing/);
    expect(orderedParts(['model.onnx.part2', 'model.onnx.part1', 'config.json'], 'model.onnx')).toEqual([
      'model.onnx.part1',
      'model.onnx.part2',
    ]);
  });

  it('joins the parts in order into the whole file', async () => {
    expect(Buffer.from(await joinParts(parts, expected, 'm'))).toEqual(whole);
  });

  it('refuses parts in the wrong order or of the wrong size, naming the fetch command', async () => {
    const swapped = [parts[1], parts[0], parts[2]] as string[];
    await expect(joinParts(swapped, expected, 'kokoro-82m')).rejects.toThrow(ModelIntegrityError);
    await expect(joinParts(swapped, expected, 'kokoro-82m')).rejects.toThrow(
      /sha256 [0-9a-f]{64}, expected [0-9a-f]{64}; run `collar models fetch kokoro-82m`/,
    );
    await expect(joinParts(parts.slice(0, 2), expected, 'kokoro-82m')).rejects.toThrow(
      /truncated: 800 bytes, expected 1000/,
    );
  });
});
