/**
 * Scores endpointing against ground truth: every true utterance must be met by exactly
 * one detected segment (by overlap) and no segment may fall outside them; for each
 * match, the start and end errors and how long after the true end the end was decided.
 */
import type { SpeechSegment } from '../../pipeline/stages/vad/speech-detector.js';
import type { SampleRange } from './speech-truth.js';

export interface UtteranceScore {
  truth: SampleRange;
  detections: number;
  startErrorMs?: number;
  endErrorMs?: number;
  decisionDelayMs?: number;
}

export interface EndpointScore {
  utterances: UtteranceScore[];
  /** Detected segments that overlap no true utterance. */
  falseDetections: number;
}

function overlaps(a: SampleRange, b: SampleRange): boolean {
  return a.startSample < b.endSample && b.startSample < a.endSample;
}

export function scoreEndpoints(truth: SampleRange[], segments: SpeechSegment[], sampleRate = 16_000): EndpointScore {
  const toMs = (samples: number) => (samples * 1_000) / sampleRate;
  const utterances = truth.map((range): UtteranceScore => {
    const matches = segments.filter((segment) => overlaps(range, segment));
    const match = matches[0];
    if (matches.length !== 1 || !match) return { truth: range, detections: matches.length };
    return {
      truth: range,
      detections: 1,
      startErrorMs: toMs(match.startSample - range.startSample),
      endErrorMs: toMs(match.endSample - range.endSample),
      decisionDelayMs: toMs(match.decidedAtSample - range.endSample),
    };
  });
  const falseDetections = segments.filter((segment) => !truth.some((range) => overlaps(range, segment))).length;
  return { utterances, falseDetections };
}
