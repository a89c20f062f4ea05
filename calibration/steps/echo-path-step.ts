/**
 * Echo path and I/O latency: the speaker plays an exponential sine sweep (default) or a
 * maximum-length sequence while the inner microphone records; deconvolution gives the
 * impulse response from the samples handed to playback to the samples read from
 * capture, and from it the delay of the direct sound, the path's energy gain and SNR.
 */

import type { Recording } from '../calibration-io.js';
import { deconvolveSweep, type ImpulseResponseEstimate, mlsImpulseResponse } from '../deconvolution.js';
import { DEFAULT_SPEAKER_TO_MIC_DISTANCE_CM, SPEED_OF_SOUND_M_PER_S } from '../defaults.js';
import { exponentialSweep, maximumLengthSequence } from '../excitation.js';
import { analyseImpulseResponse } from '../impulse-response.js';
import { signalStats } from '../level-measurement.js';
import type { EchoPathMeasurement } from '../measurements.js';
import { checkEchoPath } from '../plausibility.js';
import { type CalibrationStep, formatDb, round, type StepContext, type StepOutcome } from './step.js';

export type Excitation = 'exp-sweep' | 'mls';

export interface EchoPathStepOptions {
  excitation?: Excitation;
  /** Peak level of the test signal at the speaker. */
  levelDbfs?: number;
  /** Speaker to inner microphone, for the acoustic part of the delay. */
  speakerToMicDistanceCm?: number;
  sampleRateHz?: number;
}

/** Default test level: −12 dBFS peak, well clear of speaker distortion, 40+ dB over room noise after deconvolution. */
export const ECHO_TEST_LEVEL_DBFS = -12;
export const SWEEP = { startHz: 40, endHz: 7_950, durationSeconds: 3, fadeMs: 10 } as const;
/** 2^14 − 1 samples: a period of 1.02 s at 16 kHz, longer than any echo path plus its 300 ms delay limit. */
export const MLS_ORDER = 14;
const MLS_WARM_UP_PERIODS = 1;
const MLS_AVERAGED_PERIODS = 3;
/** Lags kept before 0, so an early recording shows as a negative delay. */
const LEAD_SECONDS = 0.2;
/** The direct sound is looked for up to here (twice the plausible limit, so a late one is reported). */
const SEARCH_SECONDS = 0.6;
/** Recorded after the sweep ends: room for the delay and the response's tail, then noise only. */
const SWEEP_TAIL_SECONDS = 1.5;
const SWEEP_NOISE_LAGS_SECONDS = [1.0, 1.4] as const;
const MLS_NOISE_LAGS_SECONDS = [0.65, 0.8] as const;
/** Extra recording for a live device whose playback starts after its capture. */
const START_MARGIN_SECONDS = 1;
/** The impulse response kept in the profile: at most 512 ms. */
const MAX_TAPS = 8192;

export function echoPathStep(options: EchoPathStepOptions = {}): CalibrationStep {
  const excitation = options.excitation ?? 'exp-sweep';
  const rate = options.sampleRateHz ?? 16_000;
  const amplitude = 10 ** ((options.levelDbfs ?? ECHO_TEST_LEVEL_DBFS) / 20);
  const distanceCm = options.speakerToMicDistanceCm ?? DEFAULT_SPEAKER_TO_MIC_DISTANCE_CM;
  const seconds = (s: number): number => Math.round(s * rate);
  const sweep =
    excitation === 'exp-sweep' ? exponentialSweep({ ...SWEEP, amplitude, sampleRateHz: rate }).samples : undefined;
  const sequence = excitation === 'mls' ? maximumLengthSequence(MLS_ORDER) : undefined;
  const periods = MLS_WARM_UP_PERIODS + MLS_AVERAGED_PERIODS;
  const stimulus = (): Float32Array => {
    if (sweep) return sweep;
    const seq = sequence as Int8Array;
    const played = new Float32Array(seq.length * periods);
    for (let i = 0; i < played.length; i++) played[i] = amplitude * (seq[i % seq.length] as number);
    return played;
  };
  const neededSamples = sweep ? sweep.length + seconds(SWEEP_TAIL_SECONDS) : (sequence as Int8Array).length * periods;

  function estimate(recorded: Float32Array): ImpulseResponseEstimate {
    if (sweep) {
      return deconvolveSweep(recorded, sweep, {
        startHz: SWEEP.startHz,
        endHz: SWEEP.endHz,
        sampleRateHz: rate,
        leadSamples: seconds(LEAD_SECONDS),
        maxSearchLagSamples: seconds(SEARCH_SECONDS),
        noiseLags: { start: seconds(SWEEP_NOISE_LAGS_SECONDS[0]), end: seconds(SWEEP_NOISE_LAGS_SECONDS[1]) },
      });
    }
    return mlsImpulseResponse(recorded, sequence as Int8Array, {
      amplitude,
      warmUpPeriods: MLS_WARM_UP_PERIODS,
      averagedPeriods: MLS_AVERAGED_PERIODS,
      sampleRateHz: rate,
      leadSamples: seconds(LEAD_SECONDS),
      maxSearchLagSamples: seconds(SEARCH_SECONDS),
      noiseLags: { start: seconds(MLS_NOISE_LAGS_SECONDS[0]), end: seconds(MLS_NOISE_LAGS_SECONDS[1]) },
    });
  }

  return {
    name: 'echo',
    title: 'Echo path and I/O latency',
    instructions: [
      `The speaker plays a ${excitation === 'mls' ? 'noise-like test sequence' : 'rising tone (sine sweep)'} for ${(stimulus().length / rate).toFixed(1)} s at ${options.levelDbfs ?? ECHO_TEST_LEVEL_DBFS} dBFS.`,
      'Wear the device as in use, mask on, and keep still and quiet until it stops.',
    ],
    records: true,
    usesOuterMicrophone: false,
    recordSamples: neededSamples + seconds(START_MARGIN_SECONDS),
    minimumRecordSamples: neededSamples,
    stimulus,
    analyse(recording: Recording | undefined, context: StepContext): StepOutcome {
      const inner = recording?.inner ?? new Float32Array(0);
      const start = recording?.playbackStartSamples ?? 0;
      const afterPlayback = inner.subarray(start);
      const stats = signalStats(inner);
      const enough = afterPlayback.length >= neededSamples && !stats.digitalSilence;
      const analysis = enough
        ? analyseImpulseResponse(estimate(afterPlayback.subarray(0, neededSamples)), { maxTaps: MAX_TAPS })
        : undefined;
      const flightMs = (distanceCm / 100 / SPEED_OF_SOUND_M_PER_S) * 1000;
      const measurement: EchoPathMeasurement = {
        kind: 'echo',
        excitation,
        stats,
        recordedAfterPlaybackSamples: afterPlayback.length,
        neededAfterPlaybackSamples: neededSamples,
        analysis,
        ioLatencyMs: analysis ? Math.max(0, analysis.delayMs - flightMs) : Number.NaN,
      };
      const report = checkEchoPath(measurement);
      const summary: [string, string][] = analysis
        ? [
            ['echo delay', `${analysis.delayMs.toFixed(2)} ms (${excitation})`],
            [
              'I/O latency',
              `${measurement.ioLatencyMs.toFixed(2)} ms (less ${flightMs.toFixed(2)} ms of air over ${distanceCm} cm)`,
            ],
            ['echo gain', formatDb(analysis.gainDb)],
            ['echo SNR', formatDb(analysis.snrDb)],
            [
              'impulse response',
              `${analysis.taps.length} taps (${((analysis.taps.length * 1000) / rate).toFixed(0)} ms)`,
            ],
          ]
        : [['echo delay', 'not measured']];
      return {
        step: 'echo',
        measurement,
        report,
        section: analysis
          ? {
              echoPath: {
                measuredAt: context.measuredAt,
                excitation,
                delayMs: round(Math.max(0, Math.min(500, analysis.delayMs)), 3),
                ioLatencyMs: round(Math.max(0, Math.min(500, measurement.ioLatencyMs)), 3),
                gainDb: round(Math.max(-80, Math.min(20, analysis.gainDb)), 3),
                snrDb: round(analysis.snrDb, 2),
                impulseResponse: Array.from(analysis.taps, (tap) => round(tap, 8)),
              },
            }
          : {},
        summary,
      };
    },
  };
}
