/**
 * The device's microphone path on simulated acoustics, frame by frame, as the
 * echo-cancel stage runs it: the speaker signal goes through a (mildly non-linear) chest
 * speaker and a generated echo path into the inner microphone, together with the
 * wearer's speech and the microphone's noise floor; the echo canceller (and, when on,
 * the feedback guard) clean each frame. Used by the feedback-guard tests and benches.
 */
import { EchoCanceller } from '../../pipeline/dsp/aec/echo-canceller.js';
import { gaussianSource, seededRandom } from '../../pipeline/dsp/seeded-random.js';
import { FeedbackGuard } from '../../pipeline/stages/echo/feedback-guard.js';
import { convolve } from './convolve.js';
import { dbToGain, mixSignals } from './levels.js';

export interface MicPathScenario {
  /** What the speaker plays (16 kHz): the AEC's reference. */
  speaker: Float32Array;
  /** The wearer's voice at the inner microphone, if any (same length or shorter). */
  wearer?: Float32Array;
  echoPath: Float32Array;
  /** The wearer moves: from `atSeconds` on, the speaker reaches the microphone through `echoPath` instead. */
  echoPathChange?: { atSeconds: number; echoPath: Float32Array };
  noiseFloorDbfs?: number;
  /**
   * Speaker saturation: the driver's output is tanh(drive·x)/drive. 0 = linear. Small
   * chest speakers compress their peaks; the canceller, being linear, leaves that residue.
   */
  speakerDrive?: number;
  frameSamples?: number;
  guard?: boolean;
  initialDelayMs?: number;
  seed?: number;
}

export interface MicPathResult {
  /** The microphone as captured (echo + wearer + noise). */
  mic: Float32Array;
  /** After the canceller (and the guard, when on): what VAD and ASR hear. */
  cleaned: Float32Array;
  /** The echo alone at the microphone (for ERLE figures). */
  echo: Float32Array;
  mutedFrames: number;
  doubleTalkFrames: number;
  frames: number;
  processMs: number;
}

export function speakerOutput(speaker: Float32Array, drive: number): Float32Array {
  if (!(drive > 0)) return speaker;
  return speaker.map((value) => Math.tanh(drive * value) / drive);
}

export function runSimulatedMicPath(scenario: MicPathScenario): MicPathResult {
  const frameSamples = scenario.frameSamples ?? 320;
  const driven = speakerOutput(scenario.speaker, scenario.speakerDrive ?? 0);
  const echo = convolve(driven, scenario.echoPath);
  const change = scenario.echoPathChange;
  if (change) {
    // An abrupt change: the new path's echo of everything played, from the change on.
    const changed = convolve(driven, change.echoPath);
    echo.set(changed.subarray(Math.round(change.atSeconds * 16_000)), Math.round(change.atSeconds * 16_000));
  }
  const gaussian = gaussianSource(seededRandom(scenario.seed ?? 5));
  const noiseGain = dbToGain(scenario.noiseFloorDbfs ?? -70);
  const noise = new Float32Array(echo.length).map(() => noiseGain * gaussian());
  const mic = mixSignals(echo, noise, scenario.wearer ?? new Float32Array(0)).subarray(0, echo.length);

  const canceller = new EchoCanceller({ frameSamples, initialDelayMs: scenario.initialDelayMs });
  const guard = scenario.guard ? new FeedbackGuard({ frameSamples }) : undefined;
  const cleaned = new Float32Array(mic.length);
  const frameOut = new Float32Array(frameSamples);
  let doubleTalkFrames = 0;
  let frames = 0;
  const started = performance.now();
  for (let start = 0; start + frameSamples <= mic.length; start += frameSamples) {
    const report = canceller.process(
      mic.subarray(start, start + frameSamples),
      scenario.speaker.subarray(start, start + frameSamples),
      frameOut,
    );
    if (report.doubleTalk) doubleTalkFrames += 1;
    guard?.apply(frameOut, report);
    cleaned.set(frameOut, start);
    frames += 1;
  }
  return {
    mic,
    cleaned,
    echo,
    mutedFrames: guard?.mutedFrames ?? 0,
    doubleTalkFrames,
    frames,
    processMs: performance.now() - started,
  };
}
