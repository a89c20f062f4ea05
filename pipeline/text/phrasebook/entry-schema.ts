/**
 * The shape of a phrasebook entry and of the family's own phrasebook file. Messages are
 * written to follow the entry's key path (`entries[3] ("brush-teeth").en: must be …`).
 */
import { z } from 'zod';

export const PHRASE_CATEGORIES = [
  'meals',
  'bedtime',
  'bath',
  'getting-dressed',
  'school',
  'praise',
  'comfort',
  'safety',
  'play',
  'everyday',
] as const;

export type PhraseCategory = (typeof PHRASE_CATEGORIES)[number];

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** At least one Han character: a variant is what the parent says in Mandarin. */
const HAS_HAN = /\p{Script=Han}/u;

const nonEmptyString = z
  .string({ error: 'must be a non-empty string' })
  .trim()
  .min(1, { error: 'must be a non-empty string' });

export const PhraseEntrySchema = z.strictObject(
  {
    id: z.string({ error: 'must be a kebab-case string such as "brush-teeth"' }).regex(KEBAB_CASE, {
      error: 'must be kebab-case (lowercase letters, digits and single hyphens), e.g. "brush-teeth"',
    }),
    category: z.enum(PHRASE_CATEGORIES, { error: `must be one of ${PHRASE_CATEGORIES.join(', ')}` }),
    zh: z
      .array(
        nonEmptyString.refine((text) => HAS_HAN.test(text), {
          error: 'must contain Chinese characters (what the parent says in Mandarin)',
        }),
        { error: 'must be a list of Mandarin phrasings, e.g. ["该睡觉了", "到点睡觉了"]' },
      )
      .min(1, { error: 'must list at least one Mandarin phrasing' }),
    en: nonEmptyString,
  },
  { error: 'must be an object with id, category, zh and en' },
);

export type PhraseEntry = z.infer<typeof PhraseEntrySchema>;

/** The outer shape only; entries are checked one by one so every bad entry is reported. */
export const PhrasebookFileSchema = z.strictObject(
  {
    version: z.literal(1, { error: 'must be 1 (the only phrasebook file version collar reads)' }),
    entries: z.array(z.unknown(), { error: 'must be a list of phrase entries' }),
  },
  { error: 'must be an object like {"version": 1, "entries": [...]}' },
);
