import { describe, expect, it } from 'vitest';
import { BUILTIN_PHRASEBOOK } from '../../../pipeline/text/phrasebook/builtin-phrasebook.js';
import { PHRASE_CATEGORIES, PhraseEntrySchema } from '../../../pipeline/text/phrasebook/entry-schema.js';
import { normaliseChinese } from '../../../pipeline/text/phrasebook/normalise-chinese.js';
import { countPhrasebook, Phrasebook } from '../../../pipeline/text/phrasebook/phrasebook.js';

const book = new Phrasebook(BUILTIN_PHRASEBOOK);

describe('the built-in phrasebook', () => {
  it('has at least 150 entries, every one valid', () => {
    expect(BUILTIN_PHRASEBOOK.length).toBeGreaterThanOrEqual(150);
    for (const entry of BUILTIN_PHRASEBOOK) expect(PhraseEntrySchema.parse(entry)).toEqual(entry);
  });

  it('has unique ids', () => {
    const ids = BUILTIN_PHRASEBOOK.map((entry) => entry.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('covers every category', () => {
    const counts = countPhrasebook(book);
    expect(counts.categories).toBe(PHRASE_CATEGORIES.length);
    for (const category of PHRASE_CATEGORIES) expect(counts.perCategory[category]).toBeGreaterThanOrEqual(10);
    expect(counts.entries).toBe(BUILTIN_PHRASEBOOK.length);
  });

  it('never gives two entries the same phrasing (a tie would match neither)', () => {
    const owner = new Map<string, string>();
    const shared: string[] = [];
    for (const entry of BUILTIN_PHRASEBOOK) {
      for (const variant of new Set(entry.zh.map(normaliseChinese))) {
        const other = owner.get(variant);
        if (other) shared.push(`${variant}: ${other} / ${entry.id}`);
        owner.set(variant, entry.id);
      }
    }
    expect(shared).toEqual([]);
  });

  it('matches every variant of every entry to that entry at similarity 1', () => {
    for (const entry of BUILTIN_PHRASEBOOK) {
      for (const variant of entry.zh) {
        const match = book.match(variant);
        expect(match?.entry.id, variant).toBe(entry.id);
        expect(match?.similarity).toBe(1);
        expect(match?.variant).toBe(variant);
      }
    }
  });
});
