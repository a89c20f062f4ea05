/**
 * Simulated acoustics for the echo canceller, shared by its tests and `collar bench aec`:
 * the device's English (real espeak-ng speech) played at −20 dBFS through a generated echo
 * path into the mask microphone, pink mic noise at −70 dBFS, and the wearer's Mandarin
 * (real recordings when ../shared has them) at −28 dBFS active level. Also the measures:
 * windowed ERLE, convergence time, near-end SI-SDR, filter misalignment.
 *
 * Definitions (the targets are stated against these):
 * - A 100 ms window is far-end-active when the echo alone in it is at least
 *   `ACTIVE_ECHO_OVER_NOISE_DB` (30 dB) above the mic noise floor, and no near-end speech
 *   falls in it. Quieter windows cannot show 25 dB of ERLE whatever the canceller does.
 * - ERLE over a span = 10·log10(Σ d² / Σ e²) summed over its far-end-active windows, where
 *   d is the microphone (echo + noise) and e the canceller's output, time-aligned.
 * - Convergence time = the end of the last far-end-active window, in the span measured,
 *   whose own ERLE is below `CONVERGED_WINDOW_ERLE_DB` (20 dB), relative to the span's
 *   start: after it, every far-end-active window keeps ≥ 20 dB. 20 dB per window, not 25,
 *   because single 100 ms windows at speech onsets and offsets hold little echo and sit
 *   close to the noise floor; the aggregate ERLE after convergence is held to 25 dB.
 */
import {
  EchoCanceller,
  type EchoCancellerOptions,
  type EchoFrameReport,
} from '../../pipeline/dsp/aec/echo-canceller.js';
import { gaussianSource, seededRandom } from '../../pipeline/dsp/seeded-random.js';
import { siSdrDb } from '../../pipeline/metrics/si-sdr.js';
import { convolve } from '../acoustics/convolve.js';
import { ECHO_PATHS, type EchoPathSpec, generateEchoPath } from '../acoustics/echo-path.js';
import { dbToGain, energyOf, rmsDbfs } from '../acoustics/levels.js';
import { deviceEnglish, wearerSpeech } from '../acoustics/speech-sources.js';

export const SAMPLE_RATE_HZ = 16_000;
export const ENGLISH_DBFS = -20;
export const WEARER_ACTIVE_DBFS = -28;
export const MIC_NOISE_DBFS = -70;
export const WINDOW_SECONDS = 0.1;
export const ACTIVE_ECHO_OVER_NOISE_DB = 30;
export const CONVERGED_WINDOW_ERLE_DB = 20;
export const TARGET_ERLE_DB = 25;
export const TARGET_CONVERGENCE_SECONDS = 1;

export type PathName = keyof typeof ECHO_PATHS;
export const PATH_NAMES = Object.keys(ECHO_PATHS) as PathName[];

export function echoPath(name: string): EchoPathSpec {
  const spec = ECHO_PATHS[name];
  if (!spec) throw new RangeError(`unknown echo path "${name}"; known: ${Object.keys(ECHO_PATHS).join(', ')}`);
  return spec;
}

export interface SpeechMaterial {
  /** Device English at ENGLISH_DBFS RMS. */
  english: Float32Array;
  /** Wearer Mandarin at WEARER_ACTIVE_DBFS active level. */
  wearer: Float32Array;
  englishSource: string;
  wearerSource: string;
  wearerSynthetic: boolean;
}

/** Active speech level (dBFS): RMS over the 10 ms frames within 35 dB of the loudest one. */
export function activeLevelDbfs(samples: Float32Array): number {
  const frame = SAMPLE_RATE_HZ / 100;
  const levels: number[] = [];
  for (let start = 0; start + frame <= samples.length; start += frame)
    levels.push(rmsDbfs(samples, start, start + frame));
  const loudest = Math.max(...levels);
  let energy = 0;
  let count = 0;
  levels.forEach((level, index) => {
    if (level < loudest - 35) return;
    energy += energyOf(samples, index * frame, index * frame + frame);
    count += frame;
  });
  return 10 * Math.log10(energy / Math.max(1, count));
}

function scaled(samples: Float32Array, gainDb: number): Float32Array {
  const gain = dbToGain(gainDb);
  return samples.map((value) => value * gain);
}

export async function loadSpeech(seconds: number): Promise<SpeechMaterial> {
  const english = await deviceEnglish(seconds);
  const wearer = await wearerSpeech(seconds);
  return {
    english: scaled(english.samples, ENGLISH_DBFS - rmsDbfs(english.samples)),
    wearer: scaled(wearer.samples, WEARER_ACTIVE_DBFS - activeLevelDbfs(wearer.samples)),
    englishSource: english.source,
    wearerSource: wearer.source,
    wearerSynthetic: wearer.synthetic,
  };
}

/** Pink noise (Kellet's economy filter over seeded white noise) at `dbfs` RMS. */
export function pinkNoise(lengthSamples: number, dbfs: number, seed: number): Float32Array {
  const gaussian = gaussianSource(seededRandom(seed));
  const out = new Float32Array(lengthSamples);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < lengthSamples; i++) {
    const white = gaussian();
    b0 = 0.99765 * b0 + white * 0.099046;
    b1 = 0.963 * b1 + white * 0.2965164;
    b2 = 0.57 * b2 + white * 1.0526913;
    out[i] = b0 + b1 + b2 + white * 0.1848;
  }
  return scaled(out, dbfs - rmsDbfs(out));
}

export interface EchoScenarioOptions {
  path: EchoPathSpec;
  seconds: number;
  speech: SpeechMaterial;
  /** The wearer talks over [startS, endS) (taken from the start of the wearer recording). */
  nearEnd?: { startS: number; endS: number };
  /** From `atS` on, the echo goes through `path` instead. */
  pathChange?: { atS: number; path: EchoPathSpec };
  noiseSeed?: number;
}

export interface EchoScenario {
  reference: Float32Array;
  /** What the microphone records: echo + near-end + noise. */
  mic: Float32Array;
  echo: Float32Array;
  nearEnd: Float32Array;
  noise: Float32Array;
  /** Per sample, the direct-sound delay of the path in force. */
  delayMsAt(sample: number): number;
  impulseResponseAt(sample: number): Float32Array;
  nearEndSpan?: { start: number; end: number };
  options: EchoScenarioOptions;
}

export function buildEchoScenario(options: EchoScenarioOptions): EchoScenario {
  const length = Math.round(options.seconds * SAMPLE_RATE_HZ);
  if (options.speech.english.length < length) {
    throw new RangeError(`scenario: needs ${length} samples of English, got ${options.speech.english.length}`);
  }
  const reference = options.speech.english.slice(0, length);
  const firstPath = generateEchoPath(options.path);
  const echo = convolve(reference, firstPath);
  let secondPath: Float32Array | undefined;
  const change = options.pathChange;
  const changeAt = change ? Math.round(change.atS * SAMPLE_RATE_HZ) : length;
  if (change) {
    secondPath = generateEchoPath(change.path);
    echo.set(convolve(reference, secondPath).subarray(changeAt), changeAt);
  }
  const nearEnd = new Float32Array(length);
  let nearEndSpan: EchoScenario['nearEndSpan'];
  if (options.nearEnd) {
    const start = Math.round(options.nearEnd.startS * SAMPLE_RATE_HZ);
    const end = Math.min(length, Math.round(options.nearEnd.endS * SAMPLE_RATE_HZ));
    nearEnd.set(options.speech.wearer.subarray(0, end - start), start);
    nearEndSpan = { start, end };
  }
  const noise = pinkNoise(length, MIC_NOISE_DBFS, options.noiseSeed ?? 5);
  const mic = new Float32Array(length);
  for (let i = 0; i < length; i++) mic[i] = (echo[i] as number) + (nearEnd[i] as number) + (noise[i] as number);
  return {
    reference,
    mic,
    echo,
    nearEnd,
    noise,
    delayMsAt: (sample) => (sample < changeAt || !change ? options.path.delayMs : change.path.delayMs),
    impulseResponseAt: (sample) => (sample < changeAt || !secondPath ? firstPath : secondPath),
    ...(nearEndSpan ? { nearEndSpan } : {}),
    options,
  };
}

export interface FrameRecord {
  report: EchoFrameReport;
  /** Wall time of the `process` call (µs). */
  micros: number;
}

export interface CancellerRun {
  /** The output moved back by the canceller's latency: output[n] is the cleaned mic[n]. */
  output: Float32Array;
  frames: FrameRecord[];
  latencySamples: number;
  canceller: EchoCanceller;
  /** Filter misalignment (dB) sampled every `misalignmentEverySeconds`, if asked. */
  misalignment: Array<{ atS: number; db: number }>;
}

/** Filter misalignment 10·log10(‖h − ĥ‖² / ‖h‖²) against the true path (taps outside the window count as error). */
export function misalignmentDb(canceller: EchoCanceller, trueResponse: Float32Array): number {
  const { startSamples, taps } = canceller.echoPathEstimate();
  let error = 0;
  for (let i = 0; i < trueResponse.length; i++) {
    const j = i - startSamples;
    const estimate = j >= 0 && j < taps.length ? (taps[j] as number) : 0;
    error += ((trueResponse[i] as number) - estimate) ** 2;
  }
  for (let j = 0; j < taps.length; j++) {
    if (startSamples + j >= trueResponse.length) error += (taps[j] as number) ** 2;
  }
  return 10 * Math.log10(error / energyOf(trueResponse));
}

export function runCanceller(
  scenario: EchoScenario,
  options: EchoCancellerOptions,
  misalignmentEverySeconds?: number,
): CancellerRun {
  const canceller = new EchoCanceller(options);
  const frame = options.frameSamples;
  const length = scenario.mic.length;
  const raw = new Float32Array(length + canceller.latencySamples + frame);
  const frames: FrameRecord[] = [];
  const misalignment: CancellerRun['misalignment'] = [];
  const everyFrames = misalignmentEverySeconds ? Math.round((misalignmentEverySeconds * SAMPLE_RATE_HZ) / frame) : 0;
  const mic = new Float32Array(frame);
  const reference = new Float32Array(frame);
  for (let start = 0, index = 0; start < raw.length - frame + 1; start += frame, index++) {
    mic.fill(0);
    reference.fill(0);
    if (start < length) {
      mic.set(scenario.mic.subarray(start, Math.min(length, start + frame)));
      reference.set(scenario.reference.subarray(start, Math.min(length, start + frame)));
    }
    const began = performance.now();
    const report = canceller.process(mic, reference, raw.subarray(start, start + frame));
    const micros = (performance.now() - began) * 1000;
    if (start < length) frames.push({ report: { ...report }, micros });
    if (everyFrames && index % everyFrames === everyFrames - 1 && start < length) {
      misalignment.push({
        atS: (start + frame) / SAMPLE_RATE_HZ,
        db: misalignmentDb(canceller, scenario.impulseResponseAt(start)),
      });
    }
  }
  const output = raw.slice(canceller.latencySamples, canceller.latencySamples + length);
  return { output, frames, latencySamples: canceller.latencySamples, canceller, misalignment };
}

export interface ErleWindow {
  startS: number;
  erleDb: number;
}

export interface ErleAnalysis {
  /** Far-end-active windows in the span. */
  windows: ErleWindow[];
  /** ERLE over the far-end-active windows from `settledFromS` to the span's end. */
  erleDb: number;
  /** Seconds from the span's start to convergence (see the header); NaN if never. */
  convergenceS: number;
}

export interface ErleSpan {
  fromS: number;
  toS: number;
  /** Where the aggregate ERLE starts (default fromS + TARGET_CONVERGENCE_SECONDS). */
  settledFromS?: number;
}

export function analyseErle(scenario: EchoScenario, output: Float32Array, span: ErleSpan): ErleAnalysis {
  const window = Math.round(WINDOW_SECONDS * SAMPLE_RATE_HZ);
  const from = Math.round(span.fromS * SAMPLE_RATE_HZ);
  const to = Math.min(scenario.mic.length, Math.round(span.toS * SAMPLE_RATE_HZ));
  const settledFrom = Math.round((span.settledFromS ?? span.fromS + TARGET_CONVERGENCE_SECONDS) * SAMPLE_RATE_HZ);
  const activeEnergy = window * 10 ** ((MIC_NOISE_DBFS + ACTIVE_ECHO_OVER_NOISE_DB) / 10);
  const windows: ErleWindow[] = [];
  let micSettled = 0;
  let outSettled = 0;
  let lastFailingEnd = from;
  let anyActive = false;
  for (let start = from; start + window <= to; start += window) {
    if (energyOf(scenario.echo, start, start + window) < activeEnergy) continue;
    if (energyOf(scenario.nearEnd, start, start + window) > 0) continue;
    const micEnergy = energyOf(scenario.mic, start, start + window);
    const outEnergy = energyOf(output, start, start + window);
    const erleDb = 10 * Math.log10(micEnergy / outEnergy);
    windows.push({ startS: start / SAMPLE_RATE_HZ, erleDb });
    anyActive = true;
    if (erleDb < CONVERGED_WINDOW_ERLE_DB) lastFailingEnd = start + window;
    if (start >= settledFrom) {
      micSettled += micEnergy;
      outSettled += outEnergy;
    }
  }
  return {
    windows,
    erleDb: outSettled > 0 ? 10 * Math.log10(micSettled / outSettled) : Number.NaN,
    convergenceS: anyActive && lastFailingEnd < to - window ? (lastFailingEnd - from) / SAMPLE_RATE_HZ : Number.NaN,
  };
}

/** SI-SDR (dB) of `signal` against the clean near-end over [startS, endS). */
export function nearEndSiSdrDb(scenario: EchoScenario, signal: Float32Array, startS: number, endS: number): number {
  const start = Math.round(startS * SAMPLE_RATE_HZ);
  const end = Math.round(endS * SAMPLE_RATE_HZ);
  return siSdrDb(scenario.nearEnd.subarray(start, end), signal.subarray(start, end));
}
