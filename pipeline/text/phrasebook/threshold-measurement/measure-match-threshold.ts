/**
 * Measures how the phrasebook matcher's similarity threshold trades false accepts for
 * false rejects, and picks the threshold (see match-threshold.ts for the result).
 *
 * Positives: every variant, mis-written the way a recogniser errs (asr-perturbations.ts),
 *   looked up in the whole book. Rejected at t when the best score is below t or two
 *   entries tie for it; a "wrong-entry accept" when another entry wins at ≥ t (worse than
 *   a reject, so it counts against the threshold like a false accept).
 * Negatives: pairs that must never match: every variant against every variant of every
 *   other entry, and every out-of-book sentence (unrelated-sentences.ts) against every
 *   variant. A false accept at t is such a pair scoring ≥ t.
 *
 * The chosen threshold has no false accepts and no wrong-entry accepts, and the fewest
 * false rejects; on a tie the higher threshold wins (same recall, more margin).
 */
import { BUILTIN_PHRASEBOOK } from '../builtin-phrasebook.js';
import type { PhraseEntry } from '../entry-schema.js';
import { normaliseChinese } from '../normalise-chinese.js';
import { Phrasebook } from '../phrasebook.js';
import { phraseSimilarity } from '../similarity.js';
import { asrPerturbations, type PerturbationKind } from './asr-perturbations.js';
import { UNRELATED_SENTENCES } from './unrelated-sentences.js';

/** 0.50, 0.55, … 0.95, as exact twentieths so 0.75 compares equal to 1 − 1/4. */
export const CANDIDATE_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => (10 + i) / 20);

export interface ThresholdRow {
  threshold: number;
  falseAccepts: number;
  falseAcceptRate: number;
  wrongEntryAccepts: number;
  falseRejects: number;
  falseRejectRate: number;
  falseRejectsByKind: Partial<Record<PerturbationKind, number>>;
}

export interface ScoredNegative {
  text: string;
  against: string;
  similarity: number;
}

export interface ThresholdMeasurement {
  positives: number;
  negativePairs: number;
  rows: ThresholdRow[];
  /** Undefined when no candidate threshold is free of false accepts. */
  chosen: ThresholdRow | undefined;
  /** The highest-scoring negatives: what the threshold has to stay above. */
  hardestNegatives: ScoredNegative[];
}

interface ScoredPositive {
  kind: PerturbationKind;
  similarity: number;
  /** Which entry the matcher would pick: the one perturbed, another, or none (a tie). */
  pick: 'own' | 'other' | 'tie';
}

const TOLERANCE = 1e-9;
const HARDEST_SHOWN = 8;

function scorePositives(book: Phrasebook): ScoredPositive[] {
  return book.entries.flatMap((entry) =>
    entry.zh.flatMap((variant) =>
      asrPerturbations(variant).map(({ kind, text }) => {
        const scored = book.score(text);
        if (!scored) return { kind, similarity: 0, pick: 'tie' as const };
        const { best, bestOtherEntrySimilarity } = scored;
        const pick = bestOtherEntrySimilarity >= best.similarity ? 'tie' : best.entry.id === entry.id ? 'own' : 'other';
        return { kind, similarity: best.similarity, pick };
      }),
    ),
  );
}

function scoreNegatives(entries: readonly PhraseEntry[]): ScoredNegative[] {
  const variants = entries.flatMap((entry) =>
    entry.zh.map((text) => ({ id: entry.id, text, normalised: normaliseChinese(text) })),
  );
  const negatives: ScoredNegative[] = [];
  for (let i = 0; i < variants.length; i++) {
    const a = variants[i] as (typeof variants)[number];
    for (let j = i + 1; j < variants.length; j++) {
      const b = variants[j] as (typeof variants)[number];
      if (a.id === b.id) continue;
      negatives.push({ text: a.text, against: b.text, similarity: phraseSimilarity(a.normalised, b.normalised) });
    }
  }
  for (const sentence of UNRELATED_SENTENCES) {
    const normalised = normaliseChinese(sentence);
    for (const b of variants) {
      negatives.push({ text: sentence, against: b.text, similarity: phraseSimilarity(normalised, b.normalised) });
    }
  }
  return negatives;
}

function rowAt(threshold: number, positives: ScoredPositive[], negatives: ScoredNegative[]): ThresholdRow {
  const accepted = (similarity: number): boolean => similarity >= threshold - TOLERANCE;
  const falseAccepts = negatives.filter((n) => accepted(n.similarity)).length;
  const wrongEntryAccepts = positives.filter((p) => accepted(p.similarity) && p.pick === 'other').length;
  const falseRejectsByKind: Partial<Record<PerturbationKind, number>> = {};
  let falseRejects = 0;
  for (const p of positives) {
    if (accepted(p.similarity) && p.pick === 'own') continue;
    falseRejects++;
    falseRejectsByKind[p.kind] = (falseRejectsByKind[p.kind] ?? 0) + 1;
  }
  return {
    threshold,
    falseAccepts,
    falseAcceptRate: falseAccepts / negatives.length,
    wrongEntryAccepts,
    falseRejects,
    falseRejectRate: falseRejects / positives.length,
    falseRejectsByKind,
  };
}

export function pickThreshold(rows: readonly ThresholdRow[]): ThresholdRow | undefined {
  let chosen: ThresholdRow | undefined;
  for (const row of rows) {
    if (row.falseAccepts > 0 || row.wrongEntryAccepts > 0) continue;
    if (!chosen || row.falseRejects < chosen.falseRejects) chosen = row;
    else if (row.falseRejects === chosen.falseRejects && row.threshold > chosen.threshold) chosen = row;
  }
  return chosen;
}

export function measureMatchThreshold(entries: readonly PhraseEntry[] = BUILTIN_PHRASEBOOK): ThresholdMeasurement {
  const positives = scorePositives(new Phrasebook(entries));
  const negatives = scoreNegatives(entries);
  const rows = CANDIDATE_THRESHOLDS.map((threshold) => rowAt(threshold, positives, negatives));
  const hardestNegatives = [...negatives].sort((a, b) => b.similarity - a.similarity).slice(0, HARDEST_SHOWN);
  return {
    positives: positives.length,
    negativePairs: negatives.length,
    rows,
    chosen: pickThreshold(rows),
    hardestNegatives,
  };
}
