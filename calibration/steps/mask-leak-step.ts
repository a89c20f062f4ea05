/**
 * Mask leak per octave band. With an outer microphone: the wearer reads the prompt while
 * both microphones record; the leak in each MASK_BANDS_HZ band is the outer level minus
 * the inner level over the same moments of speech (room noise taken out of each), moved
 * from the outer microphone's distance to the listener's 1 m by spherical spreading.
 * Then the speaker plays pink noise and the outer microphone's level per band, less the
 * played level, gives the speaker's level at the listener. Without an outer microphone
 * the step records nothing and writes the documented default (calibration/defaults.ts),
 * labelled `source: 'default'`.
 */

import { meanBandPowers, OctaveBandAnalyser, powerToDb } from '../band-analysis.js';
import type { Recording } from '../calibration-io.js';
import { MASK_BANDS_HZ } from '../calibration-profile.js';
import { defaultMaskLeak } from '../defaults.js';
import { octaveShapedNoise } from '../excitation.js';
import { signalStats } from '../level-measurement.js';
import type { MaskLeakMeasurement } from '../measurements.js';
import { checkMaskLeak } from '../plausibility.js';
import { READING_PROMPT_ZH } from './reading-prompt.js';
import { type CalibrationStep, formatDb, round, type StepContext, type StepOutcome } from './step.js';

export interface MaskLeakStepOptions {
  /** Distance of the outer microphone from the wearer's mouth; 100 cm means it stands where the listener does. */
  outerDistanceCm?: number;
  speechSeconds?: number;
  noiseSeconds?: number;
  /** RMS level of the pink noise the speaker plays. */
  noiseLevelDbfs?: number;
  sampleRateHz?: number;
}

/** Where the listener (the child) is taken to be. */
export const LISTENER_DISTANCE_CM = 100;
const SETTLE_SECONDS = 0.25;
/** The speaker's noise is analysed from this long after it starts (covers a delay up to 300 ms). */
const NOISE_ONSET_SKIP_SECONDS = 0.35;
const START_MARGIN_SECONDS = 1;
const FRAME_SAMPLES = 1024;
/** Inner-microphone frames count as speech within 20 dB of the loud speech and 10 dB over the quietest tenth. */
const SPEECH_BELOW_LOUD_DB = 20;
const SPEECH_OVER_QUIET_DB = 10;
/** Frames this close to the quietest tenth are the room's noise. */
const QUIET_WITHIN_DB = 3;

export function defaultMaskLeakStep(): CalibrationStep {
  return {
    name: 'leak',
    title: 'Mask leak (documented default)',
    instructions: ['No outer microphone given (--outer-device): the documented default mask leak is written.'],
    records: false,
    usesOuterMicrophone: false,
    recordSamples: 0,
    minimumRecordSamples: 0,
    stimulus: () => new Float32Array(0),
    analyse(_recording: Recording | undefined, context: StepContext): StepOutcome {
      const maskLeak = defaultMaskLeak(context.measuredAt);
      return {
        step: 'leak',
        measurement: undefined,
        report: { problems: [], warnings: [] },
        section: { maskLeak },
        summary: [
          ['mask leak', `default (no outer microphone): ${maskLeak.leakDb.map((db) => db.toFixed(0)).join(' / ')} dB`],
          ['speaker at listener', `default: ${maskLeak.speakerToListenerDb[0]} dB per 0 dBFS`],
        ],
      };
    },
  };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NEGATIVE_INFINITY;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

export function maskLeakStep(options: MaskLeakStepOptions = {}): CalibrationStep {
  const rate = options.sampleRateHz ?? 16_000;
  const speechSeconds = options.speechSeconds ?? 10;
  const noiseSeconds = options.noiseSeconds ?? 3;
  const outerDistanceCm = options.outerDistanceCm ?? LISTENER_DISTANCE_CM;
  const spreadingDb = 20 * Math.log10(LISTENER_DISTANCE_CM / outerDistanceCm);
  const seconds = (s: number): number => Math.round(s * rate);
  const speechSamples = seconds(speechSeconds);
  const noise = octaveShapedNoise({
    durationSeconds: noiseSeconds,
    rmsDbfs: options.noiseLevelDbfs ?? -20,
    lowHz: 150,
    highHz: 6_000,
    fadeMs: 20,
    sampleRateHz: rate,
    seed: 2_000,
  });
  const played = new Float32Array(speechSamples + noise.length);
  played.set(noise, speechSamples);
  const analyser = new OctaveBandAnalyser(MASK_BANDS_HZ, rate, FRAME_SAMPLES);
  const skip = seconds(NOISE_ONSET_SKIP_SECONDS);
  const playedBandPowers = meanBandPowers(analyser.frames(noise, skip, noise.length));

  return {
    name: 'leak',
    title: 'Mask leak (outer microphone)',
    instructions: [
      `The wearer reads this aloud at a normal voice, mask on, with natural pauses, for ${speechSeconds} s:`,
      `  ${READING_PROMPT_ZH}`,
      `Then the speaker plays noise for ${noiseSeconds} s: stop reading and keep still until it ends.`,
      `The outer microphone stays ${outerDistanceCm} cm in front of the wearer's mouth throughout.`,
    ],
    records: true,
    usesOuterMicrophone: true,
    recordSamples: played.length + seconds(START_MARGIN_SECONDS),
    minimumRecordSamples: played.length,
    stimulus: () => played,
    analyse(recording: Recording | undefined, context: StepContext): StepOutcome {
      const inner = recording?.inner ?? new Float32Array(0);
      const outer = recording?.outer ?? new Float32Array(0);
      const playStart = recording?.playbackStartSamples ?? 0;
      const speechEnd = Math.min(inner.length, playStart + speechSamples - seconds(0.1));
      const noiseStart = playStart + speechSamples + skip;
      const noiseEnd = Math.min(outer.length, playStart + speechSamples + noise.length);
      const settle = seconds(SETTLE_SECONDS);
      const innerFrames = analyser.frames(inner, settle, speechEnd);
      const outerFrames = analyser.frames(outer, settle, speechEnd);
      const levels = Array.from(innerFrames.framePowers, powerToDb);
      const sorted = [...levels].sort((a, b) => a - b);
      const quietDb = percentile(sorted, 0.1);
      const loudDb = percentile(sorted, 0.95);
      const speechThresholdDb = Math.max(loudDb - SPEECH_BELOW_LOUD_DB, quietDb + SPEECH_OVER_QUIET_DB);
      const isSpeech = (frame: number): boolean => (levels[frame] as number) >= speechThresholdDb;
      const isQuiet = (frame: number): boolean => (levels[frame] as number) <= quietDb + QUIET_WITHIN_DB;
      const speechFrames = levels.filter((_, frame) => isSpeech(frame)).length;

      const innerSpeech = meanBandPowers(innerFrames, isSpeech);
      const innerQuiet = meanBandPowers(innerFrames, isQuiet);
      const outerSpeech = meanBandPowers(outerFrames, isSpeech);
      const outerQuiet = meanBandPowers(outerFrames, isQuiet);
      const outerNoise = meanBandPowers(analyser.frames(outer, Math.min(noiseStart, noiseEnd), noiseEnd));
      const leakDb: number[] = [];
      const speakerToListenerDb: number[] = [];
      const outerSpeechSnrDb: number[] = [];
      const outerSpeakerSnrDb: number[] = [];
      MASK_BANDS_HZ.forEach((_, band) => {
        const quietOut = outerQuiet[band] as number;
        const voiceIn = Math.max((innerSpeech[band] as number) - (innerQuiet[band] as number), 1e-30);
        const speechOut = outerSpeech[band] as number;
        const speechSnr = powerToDb(speechOut) - powerToDb(quietOut);
        // Below the outer microphone's noise only an upper bound is known: the whole level there.
        const voiceOut = speechSnr >= 3 ? speechOut - quietOut : speechOut;
        leakDb.push(powerToDb(voiceOut) - powerToDb(voiceIn) - spreadingDb);
        const noiseOut = outerNoise[band] as number;
        outerSpeechSnrDb.push(speechSnr);
        outerSpeakerSnrDb.push(powerToDb(noiseOut) - powerToDb(quietOut));
        speakerToListenerDb.push(
          powerToDb(Math.max(noiseOut - quietOut, 1e-30)) - powerToDb(playedBandPowers[band] as number) - spreadingDb,
        );
      });
      const measurement: MaskLeakMeasurement = {
        kind: 'leak',
        bandsHz: [...MASK_BANDS_HZ],
        innerStats: signalStats(inner.subarray(settle)),
        outerStats: signalStats(outer.subarray(settle)),
        speechFrames,
        leakDb,
        speakerToListenerDb,
        outerSpeechSnrDb,
        outerSpeakerSnrDb,
        outerDistanceCm,
      };
      const clamp = (value: number, low: number, high: number): number =>
        round(Math.max(low, Math.min(high, Number.isFinite(value) ? value : low)), 2);
      return {
        step: 'leak',
        measurement,
        report: checkMaskLeak(measurement),
        section: {
          maskLeak: {
            measuredAt: context.measuredAt,
            source: 'outer-microphone',
            bandsHz: [...MASK_BANDS_HZ],
            leakDb: leakDb.map((db) => clamp(db, -100, 20)),
            speakerToListenerDb: speakerToListenerDb.map((db) => clamp(db, -100, 40)),
          },
        },
        summary: [
          ['mask leak', `${leakDb.map((db) => formatDb(db, '')).join(' / ')} dB at ${MASK_BANDS_HZ.join(' / ')} Hz`],
          ['speaker at listener', `${speakerToListenerDb.map((db) => formatDb(db, '')).join(' / ')} dB per 0 dBFS`],
        ],
      };
    },
  };
}
