/**
 * One calibration step: what the tester is told, what the speaker plays, how long the
 * microphones record, and what is read off the recording. Steps know nothing about the
 * terminal; the step runner and the CLI present them.
 */

import type { Recording } from '../calibration-io.js';
import type { CalibrationProfile } from '../calibration-profile.js';
import type { Measurement } from '../measurements.js';
import type { PlausibilityReport } from '../plausibility.js';

export const STEP_NAMES = ['noise', 'gain', 'echo', 'leak'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type ProfileSections = Pick<CalibrationProfile, 'noiseFloor' | 'micGain' | 'echoPath' | 'maskLeak'>;
export type SectionName = keyof ProfileSections;

export interface StepContext {
  /** Noise floor from an earlier step of this run, or from the stored profile. */
  noiseFloorDbfs?: number;
  measuredAt: string;
}

export interface StepOutcome {
  step: StepName;
  /** Undefined when the step recorded nothing (the default mask leak). */
  measurement: Measurement | undefined;
  section: ProfileSections;
  report: PlausibilityReport;
  /** Label / value rows for the summary table. */
  summary: [string, string][];
}

export interface CalibrationStep {
  readonly name: StepName;
  readonly title: string;
  /** What the tester and the wearer do, shown before recording. */
  readonly instructions: string[];
  /** False for a step that writes a documented default without recording. */
  readonly records: boolean;
  readonly usesOuterMicrophone: boolean;
  /** Samples to record from the start of the capture stream. */
  readonly recordSamples: number;
  /**
   * The least a recording that ends by itself (the offline route's WAV) must hold: live
   * devices get a margin for playback starting after capture, which a recording that
   * starts with the played file does not need.
   */
  readonly minimumRecordSamples: number;
  /** What the speaker plays, from when playback starts (empty: nothing). */
  stimulus(): Float32Array;
  analyse(recording: Recording | undefined, context: StepContext): StepOutcome;
}

export const round = (value: number, digits: number): number => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/** A level with its sign, one decimal, and its unit (none when `unit` is empty). */
export const formatDb = (value: number, unit = 'dB'): string =>
  `${value > 0 ? '+' : ''}${Number.isFinite(value) ? value.toFixed(1) : value < 0 ? '-∞' : String(value)}${unit ? ` ${unit}` : ''}`;
