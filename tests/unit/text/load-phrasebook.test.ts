import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PHRASEBOOK } from '../../../pipeline/text/phrasebook/builtin-phrasebook.js';
import { loadPhrasebook } from '../../../pipeline/text/phrasebook/load-phrasebook.js';
import { countPhrasebook } from '../../../pipeline/text/phrasebook/phrasebook.js';
import { PhrasebookFileError } from '../../../pipeline/text/phrasebook/phrasebook-file-error.js';
import { captureLogger } from '../../doubles/test-logger.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/text/${name}`, import.meta.url));

async function loadError(userFile: string): Promise<PhrasebookFileError> {
  const { logger } = captureLogger();
  const error = await loadPhrasebook({ userFile, logger }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PhrasebookFileError);
  return error as PhrasebookFileError;
}

describe('loadPhrasebook', () => {
  it('loads the built-in book alone and logs its size', async () => {
    const { logger, lines } = captureLogger();
    const book = await loadPhrasebook({ logger });
    expect(book.entries).toEqual(BUILTIN_PHRASEBOOK);
    expect(lines.find((line) => line.msg === 'phrasebook loaded')).toMatchObject({
      entries: BUILTIN_PHRASEBOOK.length,
      categories: 10,
      familyEntries: 0,
    });
  });

  it("lays the family's file over the built-in book: same id replaces (logged), new id adds", async () => {
    const { logger, lines } = captureLogger();
    const userFile = fixture('family-phrasebook.json');
    const book = await loadPhrasebook({ userFile, logger });

    expect(countPhrasebook(book).entries).toBe(BUILTIN_PHRASEBOOK.length + 1);
    expect(book.get('time-for-bed')?.en).toBe('Time for bed, Lily. Peppa is sleeping too.');
    expect(book.match('到点睡觉了')).toBeUndefined(); // a built-in phrasing the family dropped
    expect(book.match('小猪佩奇也睡觉了')?.entry.id).toBe('time-for-bed');
    expect(book.match('帮妈妈喂一下咪咪吧')?.entry.en).toBe('Can you give Mimi her food, please?');

    const overrides = lines.filter((line) => line.msg === 'family phrasebook entry replaces the built-in one');
    expect(overrides).toEqual([expect.objectContaining({ level: 30, id: 'time-for-bed', file: userFile })]);
  });

  it('warns when a family phrasing is already another entry’s', async () => {
    const { logger, lines } = captureLogger();
    const builtin = [{ id: 'lets-go', category: 'everyday' as const, zh: ['我们走吧'], en: "Let's go!" }];
    await loadPhrasebook({ logger, builtin, userFile: fixture('family-phrasebook.json') });
    expect(lines.some((line) => line.level === 40)).toBe(false);

    const clashing = [{ id: 'sleep', category: 'bedtime' as const, zh: ['该睡觉了'], en: 'Sleep now.' }];
    await loadPhrasebook({ logger, builtin: clashing, userFile: fixture('family-phrasebook.json') });
    expect(lines.find((line) => line.level === 40)).toMatchObject({
      variant: '该睡觉了',
      ids: ['sleep', 'time-for-bed'],
    });
  });

  it('reports every bad entry at once, naming the entry and the key', async () => {
    const error = await loadError(fixture('family-phrasebook-bad-entries.json'));
    expect(error.problems).toEqual([
      expect.stringMatching(/^entries\[1\] \("Brush Teeth"\)\.id: must be kebab-case/),
      expect.stringMatching(/^entries\[2\] \("grandma-call"\)\.category: must be one of meals, bedtime, /),
      'entries[3] ("brush-teeth").en: must be a non-empty string',
      'entries[4] ("shoes").zh: must list at least one Mandarin phrasing',
      'entries[4] ("shoes").note: unknown key (expected id, category, zh, en)',
      'entries[5] ("feed-the-cat").id: duplicates entries[0]; give each entry its own id',
      'entries[6] ("hello").zh[0]: must contain Chinese characters (what the parent says in Mandarin)',
      'entries[7]: must be an object with id, category, zh and en',
    ]);
    expect(error.message).toContain('family-phrasebook-bad-entries.json has 8 problems; fix them');
  });

  it('names the file when it is not valid JSON', async () => {
    const file = fixture('family-phrasebook-corrupt.json');
    const error = await loadError(file);
    expect(error.message).toMatch(new RegExp(`^phrasebook file ${file}: not valid JSON \\(.+\\); fix the syntax$`));
  });

  it('names the file when it cannot be read', async () => {
    const error = await loadError(fixture('no-such-phrasebook.json'));
    expect(error.message).toMatch(/no-such-phrasebook\.json: cannot be read \(ENOENT\); check the path$/);
  });

  it('checks the outer shape: version and keys', async () => {
    const error = await loadError(fixture('family-phrasebook-wrong-version.json'));
    expect(error.problems).toEqual([
      'version: must be 1 (the only phrasebook file version collar reads)',
      'entries: must be a list of phrase entries',
      'title: unknown key (expected version, entries)',
    ]);
  });
});

describe('a family phrasing with nothing left to match', () => {
  it('is refused, naming the variant', async () => {
    const error = await loadError(fixture('family-phrasebook-empty-variant.json'));
    expect(error.problems).toEqual([
      'entries[0] ("um").zh[0]: has nothing to match once fillers and punctuation are removed',
    ]);
  });
});
