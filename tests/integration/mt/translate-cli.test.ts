/**
 * `collar translate` as a parent or tester runs it: the phrasebook answers without any
 * model; other text goes to Marian (a stand-in graph with the real signature, installed
 * through the store, and the real tokenizer files from ../shared).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import {
  chainRules,
  marianDecoderGraph,
  marianEncoderGraph,
  writeMarianTestModel,
} from '../../../bench/stand-ins/marian-stand-ins.js';
import { MarianTokenizer } from '../../../pipeline/engines/mt/marian-tokenizer.js';
import { tempDir } from '../../helpers/model-cache.js';
import { runCollar } from '../../helpers/run-collar.js';

const TOKENIZER_DIR = join(SHARED_PATHS.modelsDir, 'opus-mt-zh-en-tokenizer');
const missing = firstMissing([join(TOKENIZER_DIR, 'source.spm'), join(TOKENIZER_DIR, 'vocab.json')]);
if (missing) console.warn(`skipping collar translate tests: ${missing} is missing (../shared not present)`);

const MT_SOURCE = '下雨了，我们带上雨伞。';
const MT_TARGET = "It's raining, let's take an umbrella.";
const FAMILY_FIXTURES = new URL('../../fixtures/text/', import.meta.url).pathname;

const work = tempDir('translate-cli');
afterAll(() => work.remove());
let env: Record<string, string> = {};

describe.skipIf(missing !== undefined)('collar translate', () => {
  beforeAll(async () => {
    const tokenizer = await MarianTokenizer.fromFolder(TOKENIZER_DIR);
    const mirror = join(work.path, 'mirror');
    const catalog = await writeMarianTestModel(mirror, {
      encoder: marianEncoderGraph(),
      decoder: marianDecoderGraph(
        chainRules(tokenizer.encode(MT_SOURCE), tokenizer.encodeTarget(MT_TARGET).slice(0, -1)),
      ),
    });
    const catalogFile = join(work.path, 'catalog.json');
    writeFileSync(catalogFile, JSON.stringify(catalog));
    env = {
      COLLAR_MODEL_CACHE: join(work.path, 'cache'),
      COLLAR_MODEL_MIRROR: `${mirror}:${SHARED_PATHS.modelsDir}`,
      COLLAR_MODEL_CATALOG: catalogFile,
      XDG_CONFIG_HOME: join(work.path, 'config'),
    };
  });

  it('answers a phrasebook phrase without any model installed, saying so', () => {
    const result = runCollar(['translate', '嗯，快来吃饭吧！'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Time to eat, sweetie!\n');
    expect(result.stderr).toMatch(/^phrasebook: time-to-eat \(meals\), similarity 1\.00/);
  });

  it('needs MT for anything else: exit 1 naming the fetch command, then the English once installed', () => {
    const before = runCollar(['translate', MT_SOURCE], env);
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(/collar models fetch opus-mt-zh-en/);

    expect(runCollar(['models', 'fetch', 'opus-mt-zh-en'], env).code).toBe(0);
    const after = runCollar(['translate', MT_SOURCE], env);
    expect(after.stderr).toMatch(/^mt: opus-mt-zh-en, 1 sentence\(s\)/);
    expect(after.code).toBe(0);
    expect(after.stdout).toBe(`${MT_TARGET}\n`);

    const beam = runCollar(['translate', MT_SOURCE, '--beam', '3', '--json'], env);
    expect(beam.code).toBe(0);
    expect(JSON.parse(beam.stdout)).toMatchObject({ english: MT_TARGET, source: 'mt', chinese: MT_SOURCE });
  });

  it("uses the family's phrasebook, and --no-phrasebook skips it", () => {
    const family = join(FAMILY_FIXTURES, 'family-phrasebook.json');
    const result = runCollar(['translate', '--phrasebook', family, '--json', '吃饭了'], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).source).toBe('phrasebook');
    const skipped = runCollar(['translate', '--no-phrasebook', MT_SOURCE], env);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toBe(`${MT_TARGET}\n`);
  });

  it('refuses a bad family phrasebook (every bad entry named) and a bad beam with exit 2', () => {
    const bad = runCollar(
      ['translate', '--phrasebook', join(FAMILY_FIXTURES, 'family-phrasebook-bad-entries.json'), '吃饭了'],
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/entries\[3\] \("brush-teeth"\)\.en/);
    expect(bad.stderr).toMatch(/entries\[2\] \("grandma-call"\)\.category/);
    const beam = runCollar(['translate', '--beam', '9', '吃饭了'], env);
    expect(beam.code).toBe(2);
    expect(beam.stderr).toMatch(/--beam must be an integer from 1 to 4/);
  });

  it('passes text in an unexpected script through MT without crashing', () => {
    const result = runCollar(['translate', '--no-phrasebook', '😀😀'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('\n');
  });
});
