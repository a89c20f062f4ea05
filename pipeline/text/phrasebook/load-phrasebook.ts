/**
 * The phrasebook collar uses: the built-in entries, with the family's own file (if any)
 * laid over them. A family entry with a built-in entry's id replaces it; new ids are added.
 */
import type { Logger } from '../../logging/logger.js';
import { BUILTIN_PHRASEBOOK } from './builtin-phrasebook.js';
import type { PhraseEntry } from './entry-schema.js';
import { normaliseChinese } from './normalise-chinese.js';
import { countPhrasebook, Phrasebook } from './phrasebook.js';
import { readUserPhrasebook } from './read-user-phrasebook.js';

export interface LoadPhrasebookOptions {
  /** The family's phrasebook JSON file; it must exist when given. */
  userFile?: string;
  logger: Logger;
  /** Replaces the built-in entries (tests). */
  builtin?: readonly PhraseEntry[];
}

/** Built-in entries in order, each replaced by the family's entry of the same id; new ids after. */
function overlay(builtin: readonly PhraseEntry[], family: readonly PhraseEntry[]): PhraseEntry[] {
  const familyById = new Map(family.map((entry) => [entry.id, entry]));
  const builtinIds = new Set(builtin.map((entry) => entry.id));
  return [
    ...builtin.map((entry) => familyById.get(entry.id) ?? entry),
    ...family.filter((entry) => !builtinIds.has(entry.id)),
  ];
}

/** Variants that normalise to the same text in two entries: saying one is a tie, and ties never match. */
function sharedVariants(entries: readonly PhraseEntry[]): Array<{ variant: string; ids: [string, string] }> {
  const ownerOf = new Map<string, string>();
  const shared: Array<{ variant: string; ids: [string, string] }> = [];
  for (const entry of entries) {
    for (const variant of new Set(entry.zh.map(normaliseChinese))) {
      const owner = ownerOf.get(variant);
      if (owner === undefined) ownerOf.set(variant, entry.id);
      else shared.push({ variant, ids: [owner, entry.id] });
    }
  }
  return shared;
}

export async function loadPhrasebook(options: LoadPhrasebookOptions): Promise<Phrasebook> {
  const { userFile, logger } = options;
  const builtin = options.builtin ?? BUILTIN_PHRASEBOOK;
  const family = userFile ? await readUserPhrasebook(userFile) : [];
  const builtinIds = new Set(builtin.map((entry) => entry.id));
  for (const entry of family) {
    if (builtinIds.has(entry.id)) {
      logger.info({ id: entry.id, file: userFile }, 'family phrasebook entry replaces the built-in one');
    }
  }
  const entries = overlay(builtin, family);
  for (const { variant, ids } of sharedVariants(entries)) {
    logger.warn({ variant, ids, file: userFile }, 'two phrasebook entries share a phrasing; it will match neither');
  }
  const phrasebook = new Phrasebook(entries);
  const counts = countPhrasebook(phrasebook);
  logger.info(
    { entries: counts.entries, categories: counts.categories, familyEntries: family.length, file: userFile },
    'phrasebook loaded',
  );
  return phrasebook;
}
