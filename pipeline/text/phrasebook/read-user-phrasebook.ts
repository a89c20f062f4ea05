/**
 * Reads a family's own phrasebook file (`{ "version": 1, "entries": [...] }`). Every bad
 * entry is reported at once, each problem naming the entry by index and id and the key
 * inside it: `entries[3] ("brush-teeth").en: must be a non-empty string`.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { PhrasebookFileSchema, type PhraseEntry, PhraseEntrySchema } from './entry-schema.js';
import { normaliseChinese } from './normalise-chinese.js';
import { PhrasebookFileError } from './phrasebook-file-error.js';

function entryLabel(index: number, raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length > 0 ? `entries[${index}] (${JSON.stringify(id)})` : `entries[${index}]`;
}

/** `zh.1` → `.zh[1]`: the key path inside an entry, written the way it is indexed. */
function keyPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

const ENTRY_KEYS = 'id, category, zh, en';
const FILE_KEYS = 'version, entries';

/** One line per problem; `label` names what the path is relative to ('' for the file itself). */
function describeIssue(label: string, issue: z.core.$ZodIssue, knownKeys: string): string[] {
  const where = (path: ReadonlyArray<PropertyKey>): string =>
    `${label}${keyPath(path)}`.replace(/^\./, '') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${where([...issue.path, key])}: unknown key (expected ${knownKeys})`);
  }
  return [`${where(issue.path)}: ${issue.message}`];
}

function checkEntries(rawEntries: readonly unknown[]): { entries: PhraseEntry[]; problems: string[] } {
  const entries: PhraseEntry[] = [];
  const problems: string[] = [];
  const firstIndexOfId = new Map<string, number>();
  rawEntries.forEach((raw, index) => {
    const label = entryLabel(index, raw);
    const parsed = PhraseEntrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...parsed.error.issues.flatMap((issue) => describeIssue(label, issue, ENTRY_KEYS)));
      return;
    }
    const entry = parsed.data;
    const earlier = firstIndexOfId.get(entry.id);
    if (earlier !== undefined) {
      problems.push(`${label}.id: duplicates entries[${earlier}]; give each entry its own id`);
      return;
    }
    firstIndexOfId.set(entry.id, index);
    const emptyVariants = entry.zh.flatMap((variant, i) => (normaliseChinese(variant).length === 0 ? [i] : []));
    for (const i of emptyVariants) {
      problems.push(`${label}.zh[${i}]: has nothing to match once fillers and punctuation are removed`);
    }
    if (emptyVariants.length === 0) entries.push(entry);
  });
  return { entries, problems };
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PhrasebookFileError(file, [`cannot be read (${code}); check the path`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PhrasebookFileError(file, [`not valid JSON (${(error as Error).message}); fix the syntax`]);
  }
}

export async function readUserPhrasebook(file: string): Promise<PhraseEntry[]> {
  const json = await readJson(file);
  const outer = PhrasebookFileSchema.safeParse(json);
  if (!outer.success) {
    throw new PhrasebookFileError(
      file,
      outer.error.issues.flatMap((issue) => describeIssue('', issue, FILE_KEYS)),
    );
  }
  const { entries, problems } = checkEntries(outer.data.entries);
  if (problems.length > 0) throw new PhrasebookFileError(file, problems);
  return entries;
}
