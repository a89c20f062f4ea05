/**
 * Keeps MATCH_THRESHOLD tied to its measurement: if the book, the normaliser or the
 * matcher changes, this says whether the chosen threshold still holds.
 */
import { describe, expect, it } from 'vitest';
import { MATCH_THRESHOLD } from '../../../pipeline/text/phrasebook/match-threshold.js';
import { asrPerturbations } from '../../../pipeline/text/phrasebook/threshold-measurement/asr-perturbations.js';
import { formatThresholdMeasurement } from '../../../pipeline/text/phrasebook/threshold-measurement/format-measurement.js';
import {
  CANDIDATE_THRESHOLDS,
  measureMatchThreshold,
  pickThreshold,
  type ThresholdRow,
} from '../../../pipeline/text/phrasebook/threshold-measurement/measure-match-threshold.js';
import { UNRELATED_SENTENCES } from '../../../pipeline/text/phrasebook/threshold-measurement/unrelated-sentences.js';

/** The false-reject rate measured at 0.85 (1006 of 2400), plus a little room for book edits. */
const MEASURED_FALSE_REJECT_RATE = 0.4192;
const FALSE_REJECT_MARGIN = 0.03;

const measurement = measureMatchThreshold();
const rowAt = (threshold: number): ThresholdRow => {
  const row = measurement.rows.find((r) => r.threshold === threshold);
  if (!row) throw new Error(`no row for ${threshold}`);
  return row;
};

describe('the phrasebook match threshold', () => {
  it('is measured on enough pairs', () => {
    expect(CANDIDATE_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    expect(UNRELATED_SENTENCES.length).toBeGreaterThanOrEqual(30);
    expect(measurement.positives).toBeGreaterThan(2000);
    expect(measurement.negativePairs).toBeGreaterThan(50_000);
  });

  it('is the one the measurement picks', () => {
    expect(measurement.chosen?.threshold).toBe(MATCH_THRESHOLD);
  });

  it('accepts no negative and no wrong entry at the chosen threshold', () => {
    const row = rowAt(MATCH_THRESHOLD);
    expect(row.falseAccepts).toBe(0);
    expect(row.wrongEntryAccepts).toBe(0);
  });

  it('keeps false rejects at the chosen threshold where they were measured', () => {
    expect(rowAt(MATCH_THRESHOLD).falseRejectRate).toBeLessThanOrEqual(
      MEASURED_FALSE_REJECT_RATE + FALSE_REJECT_MARGIN,
    );
  });

  it('would false-accept one step lower (the threshold is not set higher than needed)', () => {
    expect(rowAt(0.8).falseAccepts).toBeGreaterThan(0);
  });

  it('absorbs fillers and softening particles completely', () => {
    const byKind = rowAt(MATCH_THRESHOLD).falseRejectsByKind;
    expect(byKind['filler-en'] ?? 0).toBe(0);
    expect(byKind['filler-nage'] ?? 0).toBe(0);
    expect(byKind['particle-added'] ?? 0).toBe(0);
  });

  it('prints as a table', () => {
    const table = formatThresholdMeasurement(measurement);
    expect(table).toContain('0.85');
    expect(table).toContain('<- chosen');
  });
});

describe('pickThreshold', () => {
  const row = (threshold: number, falseAccepts: number, falseRejects: number, wrongEntryAccepts = 0): ThresholdRow => ({
    threshold,
    falseAccepts,
    falseAcceptRate: 0,
    wrongEntryAccepts,
    falseRejects,
    falseRejectRate: 0,
    falseRejectsByKind: {},
  });

  it('takes the fewest false rejects among thresholds without false or wrong-entry accepts', () => {
    expect(pickThreshold([row(0.5, 3, 1), row(0.6, 0, 5, 1), row(0.7, 0, 9), row(0.8, 0, 12)])?.threshold).toBe(0.7);
  });

  it('prefers the higher threshold when false rejects tie', () => {
    expect(pickThreshold([row(0.7, 0, 9), row(0.75, 0, 9), row(0.8, 0, 12)])?.threshold).toBe(0.75);
  });

  it('gives nothing when every threshold false-accepts', () => {
    expect(pickThreshold([row(0.5, 1, 0)])).toBeUndefined();
  });
});

describe('asrPerturbations', () => {
  it('imitates homophones, particles and fillers', () => {
    const kinds = Object.fromEntries(asrPerturbations('该睡觉了').map((p) => [p.kind, p.text]));
    expect(kinds).toEqual({
      'homophone-first': '该税觉了',
      'homophone-last': '该睡叫了',
      'homophone-two': '该税叫了',
      'particle-dropped': '该睡觉',
      'particle-added': '该睡觉了啊',
      'filler-en': '嗯该睡觉了',
      'filler-nage': '那个该睡觉了',
    });
  });
});
