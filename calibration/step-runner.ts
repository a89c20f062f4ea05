/**
 * Runs calibration steps in order through one `CalibrationIo`: tell the tester what to
 * do, record (with progress), analyse, judge. A step whose measurement is implausible
 * stops the run: the steps after it would be measured on the same broken set-up.
 * Presentation (prompts, bars, tables) belongs to the caller, through the hooks.
 */
import type { CalibrationIo } from './calibration-io.js';
import type { CalibrationStep, ProfileSections, StepName, StepOutcome } from './steps/step.js';

export interface StepRunnerHooks {
  /** Before a step records: show its instructions, wait for the tester. */
  beforeStep?: (step: CalibrationStep) => Promise<void> | void;
  onProgress?: (step: CalibrationStep, recordedSamples: number, totalSamples: number) => void;
  afterStep?: (outcome: StepOutcome) => void;
}

export interface RunOptions {
  steps: CalibrationStep[];
  io: CalibrationIo;
  hooks?: StepRunnerHooks;
  /** Noise floor already known (the stored profile), for the gain step's checks. */
  noiseFloorDbfs?: number;
  now?: () => Date;
  signal?: AbortSignal;
}

export interface RunResult {
  outcomes: StepOutcome[];
  /** Steps not run because an earlier one was refused. */
  skipped: StepName[];
  /** Every problem of every step, prefixed with the step; empty when the profile may be saved. */
  problems: string[];
  /** The sections measured, merged (only meaningful when `problems` is empty). */
  sections: ProfileSections;
}

export async function runCalibrationSteps(options: RunOptions): Promise<RunResult> {
  const { steps, io, hooks } = options;
  const now = options.now ?? (() => new Date());
  const outcomes: StepOutcome[] = [];
  const problems: string[] = [];
  let sections: ProfileSections = {};
  let noiseFloorDbfs = options.noiseFloorDbfs;
  let index = 0;
  for (; index < steps.length; index++) {
    const step = steps[index] as CalibrationStep;
    await hooks?.beforeStep?.(step);
    const stimulus = step.stimulus();
    const recording = step.records
      ? await io.record({
          play: stimulus.length > 0 ? stimulus : undefined,
          lengthSamples: step.recordSamples,
          minimumSamples: step.minimumRecordSamples,
          outer: step.usesOuterMicrophone,
          onProgress: (recorded, total) => hooks?.onProgress?.(step, recorded, total),
          signal: options.signal,
        })
      : undefined;
    const outcome = step.analyse(recording, { noiseFloorDbfs, measuredAt: now().toISOString() });
    outcomes.push(outcome);
    hooks?.afterStep?.(outcome);
    if (outcome.report.problems.length > 0) {
      problems.push(...outcome.report.problems.map((problem) => `${step.name}: ${problem}`));
      index += 1;
      break;
    }
    sections = { ...sections, ...outcome.section };
    if (outcome.section.noiseFloor) noiseFloorDbfs = outcome.section.noiseFloor.noiseFloorDbfs;
  }
  return { outcomes, skipped: steps.slice(index).map((step) => step.name), problems, sections };
}

/**
 * What the speaker plays during a step, padded with silence to the step's whole
 * recording: the file the offline route (`collar calibrate --play-to`) writes, to be
 * played while recording for at least as long.
 */
export function playedFileSamples(step: CalibrationStep): Float32Array {
  const stimulus = step.stimulus();
  const samples = new Float32Array(Math.max(stimulus.length, step.recordSamples));
  samples.set(stimulus);
  return samples;
}
