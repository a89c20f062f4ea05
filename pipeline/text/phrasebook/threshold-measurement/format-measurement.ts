/** The threshold measurement as a plain-text table (for a bench or a scratch run). */
import type { ThresholdMeasurement } from './measure-match-threshold.js';

const percent = (rate: number): string => `${(rate * 100).toFixed(2)}%`;

export function formatThresholdMeasurement(measurement: ThresholdMeasurement): string {
  const lines = [
    `positives: ${measurement.positives} perturbed variants; negatives: ${measurement.negativePairs} pairs`,
    'threshold  false-accepts  wrong-entry  false-rejects',
    ...measurement.rows.map((row) =>
      [
        row.threshold.toFixed(2).padStart(9),
        `${row.falseAccepts} (${percent(row.falseAcceptRate)})`.padStart(14),
        String(row.wrongEntryAccepts).padStart(12),
        `${row.falseRejects} (${percent(row.falseRejectRate)})`.padStart(15),
        row === measurement.chosen ? '  <- chosen' : '',
      ].join(''),
    ),
    'hardest negatives:',
    ...measurement.hardestNegatives.map((n) => `  ${n.similarity.toFixed(3)}  ${n.text} ~ ${n.against}`),
  ];
  return lines.join('\n');
}
