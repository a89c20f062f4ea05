/**
 * Our Marian tokenizer against reference ids generated independently with Python
 * sentencepiece following transformers' MarianTokenizer
 * (tests/fixtures/mt/generate-marian-token-ids.py), on the real opus-mt-zh-en files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { copyTokenizerFiles } from '../../../bench/stand-ins/marian-stand-ins.js';
import {
  cleanUpTokenization,
  MarianTokenizer,
  MarianTokenizerError,
} from '../../../pipeline/engines/mt/marian-tokenizer.js';
import { tempDir } from '../../helpers/model-cache.js';

const TOKENIZER_DIR = join(SHARED_PATHS.modelsDir, 'opus-mt-zh-en-tokenizer');
const FIXTURE = fileURLToPath(new URL('../../fixtures/mt/marian-token-ids.json', import.meta.url));
const TOKENIZER_FILES = [
  'source.spm',
  'target.spm',
  'vocab.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'config.json',
  'generation_config.json',
];
const missingTokenizer = firstMissing(TOKENIZER_FILES.map((name) => join(TOKENIZER_DIR, name)));
const missing = missingTokenizer ?? (existsSync(FIXTURE) ? undefined : FIXTURE);
if (missing) console.warn(`skipping Marian tokenizer tests: ${missing} is missing`);

interface FixtureEntry {
  text: string;
  lang: 'zh' | 'en';
  pieces: string[];
  ids: number[];
  pieces_not_in_vocab: string[];
  decoded?: string;
  decoded_hf?: string;
}
interface Fixture {
  vocab_size: number;
  eos_id: number;
  unk_id: number;
  pad_id: number;
  decoder_start_token_id: number;
  entries: FixtureEntry[];
}

describe.skipIf(missing !== undefined)('MarianTokenizer on opus-mt-zh-en', () => {
  let tokenizer: MarianTokenizer;
  let fixture: Fixture;
  beforeAll(async () => {
    tokenizer = await MarianTokenizer.fromFolder(TOKENIZER_DIR);
    fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Fixture;
  });

  it('reads the special ids from the files as the reference does', () => {
    expect({
      vocabSize: tokenizer.vocabSize,
      eos: tokenizer.eosTokenId,
      unk: tokenizer.unkTokenId,
      pad: tokenizer.padTokenId,
      start: tokenizer.decoderStartTokenId,
    }).toEqual({
      vocabSize: fixture.vocab_size,
      eos: fixture.eos_id,
      unk: fixture.unk_id,
      pad: fixture.pad_id,
      start: fixture.decoder_start_token_id,
    });
  });

  it('encodes Chinese to exactly the reference pieces and ids (eos last, unknown pieces as unk)', () => {
    const chinese = fixture.entries.filter((entry) => entry.lang === 'zh');
    expect(chinese.length).toBeGreaterThan(0);
    for (const entry of chinese) {
      expect(tokenizer.tokenize(entry.text), entry.text).toEqual(entry.pieces);
      expect(tokenizer.encode(entry.text), entry.text).toEqual(entry.ids);
    }
    expect(chinese.some((entry) => entry.pieces_not_in_vocab.length > 0 && entry.ids.includes(fixture.unk_id))).toBe(
      true,
    );
  });

  it('encodes English with target.spm to the reference ids, and decodes them to the reference text', () => {
    const english = fixture.entries.filter((entry) => entry.lang === 'en');
    expect(english.length).toBeGreaterThan(0);
    for (const entry of english) {
      expect(tokenizer.encodeTarget(entry.text), entry.text).toEqual(entry.ids);
      expect(tokenizer.decode(entry.ids), entry.text).toBe(entry.decoded_hf);
      expect(tokenizer.decode(entry.ids, { cleanUpTokenizationSpaces: false }), entry.text).toBe(entry.decoded);
    }
  });

  it('round-trips English: decode(encodeTarget(text)) === text', () => {
    for (const entry of fixture.entries.filter((e) => e.lang === 'en'))
      expect(tokenizer.decode(tokenizer.encodeTarget(entry.text))).toBe(entry.text);
  });

  it('drops eos, pad and unk on decode unless asked to keep them', () => {
    const ids = [tokenizer.padTokenId, ...tokenizer.encodeTarget('I love you.').slice(0, -1), tokenizer.unkTokenId];
    expect(tokenizer.decode([...ids, tokenizer.eosTokenId])).toBe('I love you.');
    expect(tokenizer.decode([...ids, tokenizer.eosTokenId], { skipSpecialTokens: false })).toBe(
      '<pad> I love you.<unk> </s>',
    );
    expect(tokenizer.decode([999_999])).toBe('');
  });

  it('passes odd input through: empty, blank, Cyrillic and emoji, special-token text', () => {
    expect(tokenizer.encode('')).toEqual([tokenizer.eosTokenId]);
    expect(tokenizer.encode('   ')).toEqual([tokenizer.eosTokenId]);
    const cyrillic = tokenizer.encode('Привет 😀');
    expect(cyrillic.at(-1)).toBe(tokenizer.eosTokenId);
    expect(cyrillic).toContain(tokenizer.unkTokenId);
    expect(tokenizer.tokenize('你好</s>世界')).toEqual(['▁你好', '</s>', '▁世界']);
    expect(tokenizer.tokenize('>>eng<< 你好')[0]).toBe('>>eng<<');
  });

  it('refuses files that contradict each other or are not sentencepiece models', async () => {
    const folder = tempDir('marian-tokenizer');
    try {
      await copyTokenizerFiles(TOKENIZER_DIR, folder.path, TOKENIZER_FILES);
      const { writeFile } = await import('node:fs/promises');
      const config = JSON.parse(readFileSync(join(TOKENIZER_DIR, 'config.json'), 'utf8')) as Record<string, unknown>;
      await writeFile(join(folder.path, 'config.json'), JSON.stringify({ ...config, eos_token_id: 2 }));
      await expect(MarianTokenizer.fromFolder(folder.path)).rejects.toThrow(/eos_token_id 2, vocab.json 0/);
      await writeFile(join(folder.path, 'config.json'), JSON.stringify(config));
      await writeFile(join(folder.path, 'source.spm'), 'not a model');
      await expect(MarianTokenizer.fromFolder(folder.path)).rejects.toThrow(MarianTokenizerError);
    } finally {
      folder.remove();
    }
  });
});

describe('cleanUpTokenization', () => {
  it("removes spaces before punctuation and inside English contractions, as transformers' does", () => {
    expect(cleanUpTokenization("Hello , world . Is n't it ? I 'm here ! We 're , they 've , it 's")).toBe(
      "Hello, world. Isn't it? I'm here! We're, they've, it's",
    );
  });
});
