/**
 * Microphone gain: the wearer reads the prompt with the mask on; the active speech level
 * (ITU-T P.56) and the peak give the software gain that puts speech at the target level.
 */
import type { Recording } from '../calibration-io.js';
import { activeSpeechLevel, levelSpreadDb, signalStats } from '../level-measurement.js';
import type { MicGainMeasurement } from '../measurements.js';
import { checkMicGain } from '../plausibility.js';
import { READING_PROMPT_ZH } from './reading-prompt.js';
import { type CalibrationStep, formatDb, round, type StepContext, type StepOutcome } from './step.js';

/**
 * Target active speech level: −26 dBFS, the nominal speech level of ITU-T P.56 practice
 * for digital channels (−26 dBov, as used throughout ITU-T P.800-series testing); it
 * leaves about 20 dB of headroom for speech peaks.
 */
export const TARGET_SPEECH_LEVEL_DBFS = -26;
/** The gain never pushes the loudest peak of the reading past this. */
export const PEAK_CEILING_DBFS = -1;
const SETTLE_SECONDS = 0.25;

export interface MicGainStepOptions {
  durationSeconds?: number;
  sampleRateHz?: number;
}

export function micGainStep(options: MicGainStepOptions = {}): CalibrationStep {
  const durationSeconds = options.durationSeconds ?? 10;
  const rate = options.sampleRateHz ?? 16_000;
  const settleSamples = Math.round(SETTLE_SECONDS * rate);
  return {
    name: 'gain',
    title: 'Microphone gain',
    instructions: [
      `The wearer reads this aloud at a normal voice, mask on, for ${durationSeconds} s (keep going until the bar is full):`,
      `  ${READING_PROMPT_ZH}`,
    ],
    records: true,
    usesOuterMicrophone: false,
    recordSamples: settleSamples + Math.round(durationSeconds * rate),
    minimumRecordSamples: settleSamples + Math.round(durationSeconds * rate),
    stimulus: () => new Float32Array(0),
    analyse(recording: Recording | undefined, context: StepContext): StepOutcome {
      const samples = recording?.inner.subarray(settleSamples) ?? new Float32Array(0);
      const stats = signalStats(samples);
      const speech = activeSpeechLevel(samples, rate);
      const gainToTargetDb = Number.isFinite(speech.activeLevelDbfs)
        ? TARGET_SPEECH_LEVEL_DBFS - speech.activeLevelDbfs
        : 0;
      const gainDb = Math.min(gainToTargetDb, PEAK_CEILING_DBFS - stats.peakDbfs);
      const measurement: MicGainMeasurement = {
        kind: 'gain',
        stats,
        speech,
        levelSpreadDb: levelSpreadDb(samples, rate),
        noiseFloorDbfs: context.noiseFloorDbfs,
        targetLevelDbfs: TARGET_SPEECH_LEVEL_DBFS,
        gainToTargetDb,
        gainDb,
      };
      const clampDbfs = (value: number): number => round(Math.max(-160, Math.min(0, value)), 2);
      return {
        step: 'gain',
        measurement,
        report: checkMicGain(measurement),
        section: {
          micGain: {
            measuredAt: context.measuredAt,
            speechLevelDbfs: clampDbfs(speech.activeLevelDbfs),
            peakDbfs: clampDbfs(stats.peakDbfs),
            gainDb: round(Math.max(-40, Math.min(40, gainDb)), 2),
          },
        },
        summary: [
          [
            'speech level (P.56)',
            `${formatDb(speech.activeLevelDbfs, 'dBFS')} (activity ${(speech.activityFactor * 100).toFixed(0)} %)`,
          ],
          ['speech peak', formatDb(stats.peakDbfs, 'dBFS')],
          ['mic gain', `${formatDb(gainDb)} (to ${TARGET_SPEECH_LEVEL_DBFS} dBFS)`],
        ],
      };
    },
  };
}
