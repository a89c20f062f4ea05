/**
 * Noise floor: the quiet room at the inner microphone, speaker silent. The first 250 ms
 * are left out: a device that has just opened may deliver a start-up click or a
 * converter settling. The level is the RMS without DC, so a stuck microphone reads as
 * silent instead of as a loud room.
 */
import type { Recording } from '../calibration-io.js';
import { signalStats } from '../level-measurement.js';
import type { NoiseFloorMeasurement } from '../measurements.js';
import { checkNoiseFloor } from '../plausibility.js';
import { type CalibrationStep, formatDb, round, type StepContext, type StepOutcome } from './step.js';

export const NOISE_SETTLE_SECONDS = 0.25;

export interface NoiseFloorStepOptions {
  durationSeconds?: number;
  sampleRateHz?: number;
}

export function noiseFloorStep(options: NoiseFloorStepOptions = {}): CalibrationStep {
  const durationSeconds = options.durationSeconds ?? 3;
  const rate = options.sampleRateHz ?? 16_000;
  const settleSamples = Math.round(NOISE_SETTLE_SECONDS * rate);
  const recordSamples = settleSamples + Math.round(durationSeconds * rate);
  return {
    name: 'noise',
    title: 'Noise floor',
    instructions: [
      `Sit quietly for ${durationSeconds} s with the mask on: no talking, no moving.`,
      'The speaker stays silent; the microphone records the room.',
    ],
    records: true,
    usesOuterMicrophone: false,
    recordSamples,
    minimumRecordSamples: recordSamples,
    stimulus: () => new Float32Array(0),
    analyse(recording: Recording | undefined, context: StepContext): StepOutcome {
      const samples = recording?.inner.subarray(settleSamples) ?? new Float32Array(0);
      const stats = signalStats(samples);
      const measurement: NoiseFloorMeasurement = {
        kind: 'noise',
        durationSeconds: samples.length / rate,
        stats,
        noiseFloorDbfs: stats.acRmsDbfs,
      };
      const report = checkNoiseFloor(measurement);
      return {
        step: 'noise',
        measurement,
        report,
        section: {
          noiseFloor: {
            measuredAt: context.measuredAt,
            noiseFloorDbfs: round(Math.max(-160, Math.min(0, stats.acRmsDbfs)), 2),
            durationSeconds: round(measurement.durationSeconds, 3),
          },
        },
        summary: [['noise floor', formatDb(stats.acRmsDbfs, 'dBFS')]],
      };
    },
  };
}
