/**
 * What each calibration step measured, before it becomes a profile section: the figures
 * the profile keeps plus what the plausibility checks need to judge them (signal
 * statistics, SNRs). Produced by the steps in ./steps, judged by ./plausibility.ts.
 */
import type { ImpulseResponseAnalysis } from './impulse-response.js';
import type { ActiveSpeechLevel, SignalStats } from './level-measurement.js';

export interface NoiseFloorMeasurement {
  kind: 'noise';
  durationSeconds: number;
  /** The analysed part of the recording (after the settling time). */
  stats: SignalStats;
  /** RMS of the quiet room without its DC offset, dBFS. */
  noiseFloorDbfs: number;
}

export interface MicGainMeasurement {
  kind: 'gain';
  stats: SignalStats;
  speech: ActiveSpeechLevel;
  /** 95th − 10th percentile of the 20 ms levels: speech moves by 20 dB and more, steady noise hardly at all. */
  levelSpreadDb: number;
  /** The room's noise floor, when measured (this run or the stored profile). */
  noiseFloorDbfs: number | undefined;
  targetLevelDbfs: number;
  /** Gain that brings speech to the target level. */
  gainToTargetDb: number;
  /** The gain the profile keeps: the gain to target, less any that would push peaks past the headroom limit. */
  gainDb: number;
}

export interface EchoPathMeasurement {
  kind: 'echo';
  excitation: 'exp-sweep' | 'mls';
  /** The whole recording, from capture start. */
  stats: SignalStats;
  /** Recorded samples available after playback started, and how many the analysis needs. */
  recordedAfterPlaybackSamples: number;
  neededAfterPlaybackSamples: number;
  analysis: ImpulseResponseAnalysis | undefined;
  ioLatencyMs: number;
}

export interface MaskLeakMeasurement {
  kind: 'leak';
  bandsHz: number[];
  innerStats: SignalStats;
  outerStats: SignalStats;
  /** Inner-microphone frames judged to be the wearer speaking. */
  speechFrames: number;
  leakDb: number[];
  speakerToListenerDb: number[];
  /** Per band, the outer microphone's speech (or speaker noise) over its quiet-frame level, dB. */
  outerSpeechSnrDb: number[];
  outerSpeakerSnrDb: number[];
  /** Distance of the outer microphone from the mouth (100 cm: at the listener's place). */
  outerDistanceCm: number;
}

export type Measurement = NoiseFloorMeasurement | MicGainMeasurement | EchoPathMeasurement | MaskLeakMeasurement;
