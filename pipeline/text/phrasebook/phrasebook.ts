/** A set of phrase entries and the fuzzy lookup from recognised Mandarin to one of them. */
import type { PhraseCategory, PhraseEntry } from './entry-schema.js';
import { MATCH_THRESHOLD } from './match-threshold.js';
import { normaliseChinese } from './normalise-chinese.js';
import { phraseSimilarity } from './similarity.js';

export interface PhraseMatch {
  entry: PhraseEntry;
  /** The variant, as written in the entry, that the text came closest to. */
  variant: string;
  /** 0..1; 1 when the normalised text equals the normalised variant. */
  similarity: number;
}

export interface ScoredText {
  best: PhraseMatch;
  /** The highest similarity reached by any entry other than best.entry (0 if none). */
  bestOtherEntrySimilarity: number;
}

interface IndexedVariant {
  entry: PhraseEntry;
  variant: string;
  normalised: string;
}

export class Phrasebook {
  readonly entries: readonly PhraseEntry[];
  private readonly variants: readonly IndexedVariant[];
  private readonly byId: ReadonlyMap<string, PhraseEntry>;

  constructor(
    entries: readonly PhraseEntry[],
    readonly threshold: number = MATCH_THRESHOLD,
  ) {
    this.entries = entries;
    this.byId = new Map(entries.map((entry) => [entry.id, entry]));
    this.variants = entries.flatMap((entry) =>
      entry.zh.map((variant) => ({ entry, variant, normalised: normaliseChinese(variant) })),
    );
  }

  /**
   * The entry whose variant is closest to `text`, if it is at least `threshold` similar and
   * no other entry is just as close (a tie between two entries is a guess, not a match).
   */
  match(text: string): PhraseMatch | undefined {
    const scored = this.score(text);
    if (!scored || scored.best.similarity < this.threshold) return undefined;
    return scored.bestOtherEntrySimilarity < scored.best.similarity ? scored.best : undefined;
  }

  /**
   * The closest variant whatever its similarity, and how close the best variant of any
   * other entry came; undefined when the text has nothing left to compare after
   * normalisation. The threshold measurement scores with this.
   */
  score(text: string): ScoredText | undefined {
    const normalised = normaliseChinese(text);
    if (normalised.length === 0) return undefined;
    let best: PhraseMatch | undefined;
    let bestOtherEntrySimilarity = 0;
    for (const candidate of this.variants) {
      const similarity = phraseSimilarity(normalised, candidate.normalised);
      if (best && similarity <= best.similarity) {
        if (candidate.entry !== best.entry) bestOtherEntrySimilarity = Math.max(bestOtherEntrySimilarity, similarity);
        continue;
      }
      // The old best becomes the runner-up unless it was this same entry's weaker variant.
      if (best && best.entry !== candidate.entry) bestOtherEntrySimilarity = best.similarity;
      best = { entry: candidate.entry, variant: candidate.variant, similarity };
    }
    return best && { best, bestOtherEntrySimilarity };
  }

  get(id: string): PhraseEntry | undefined {
    return this.byId.get(id);
  }
}

export interface PhrasebookCounts {
  entries: number;
  categories: number;
  perCategory: Partial<Record<PhraseCategory, number>>;
}

/** How many entries and categories a phrasebook holds (for the CLI's summary). */
export function countPhrasebook(phrasebook: Phrasebook): PhrasebookCounts {
  const perCategory: Partial<Record<PhraseCategory, number>> = {};
  for (const entry of phrasebook.entries) perCategory[entry.category] = (perCategory[entry.category] ?? 0) + 1;
  return { entries: phrasebook.entries.length, categories: Object.keys(perCategory).length, perCategory };
}
