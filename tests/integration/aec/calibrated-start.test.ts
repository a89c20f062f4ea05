/**
 * Calibration feeds the canceller: the echo path measured by `collar calibrate`'s echo
 * step (through the simulated acoustic loop, the same routines as on a device) seeds the
 * adaptive filters, so the canceller works from the first block instead of after it has
 * learnt the path. Measured on the linear filter alone (no residual suppressor), with
 * real espeak-ng English through each generated path.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { dbToGain, energyOf, scaledToDbfs } from '../../../bench/acoustics/levels.js';
import { deviceEnglish } from '../../../bench/acoustics/speech-sources.js';
import { EndpointCalibrationIo } from '../../../calibration/calibration-io.js';
import { type EchoPath, IMPULSE_RESPONSE_LEAD_SAMPLES } from '../../../calibration/calibration-profile.js';
import { runCalibrationSteps } from '../../../calibration/step-runner.js';
import { echoPathStep } from '../../../calibration/steps/echo-path-step.js';
import { EchoCanceller } from '../../../pipeline/dsp/aec/echo-canceller.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';
import { SimulatedEchoLoop } from '../../doubles/simulated-echo-loop.js';

const FRAME = 320;
let english: Float32Array;
beforeAll(async () => {
  english = scaledToDbfs((await deviceEnglish(3)).samples, -20);
});

async function calibrate(path: Float32Array): Promise<EchoPath> {
  const loop = new SimulatedEchoLoop({ echoPath: path, micNoiseDbfs: -60, seed: 17 });
  const io = new EndpointCalibrationIo({
    openCapture: () => loop.capture,
    openPlayback: () => loop.playback,
    captureDescription: loop.capture.description,
    playbackDescription: loop.playback.description,
  });
  const result = await runCalibrationSteps({ steps: [echoPathStep({ excitation: 'exp-sweep' })], io });
  if (!result.sections.echoPath) throw new Error(`calibration refused: ${result.problems.join('; ')}`);
  return result.sections.echoPath;
}

/** Linear-filter ERLE over the first `seconds` of far-end-only English. */
function earlyErleDb(path: Float32Array, seconds: number, seed?: EchoPath): number {
  const gaussian = gaussianSource(seededRandom(2));
  const mic = convolve(english, path).map((v) => v + dbToGain(-70) * gaussian());
  const canceller = new EchoCanceller({
    frameSamples: FRAME,
    residualSuppression: false,
    ...(seed
      ? {
          initialDelayMs: seed.delayMs,
          initialImpulseResponse: seed.impulseResponse,
          initialImpulseResponseLeadSamples: IMPULSE_RESPONSE_LEAD_SAMPLES,
        }
      : {}),
  });
  const out = new Float32Array(mic.length);
  const frame = new Float32Array(FRAME);
  for (let start = 0; start + FRAME <= mic.length; start += FRAME) {
    canceller.process(mic.subarray(start, start + FRAME), english.subarray(start, start + FRAME), frame);
    out.set(frame, start);
  }
  const end = Math.round(seconds * 16_000);
  const lag = canceller.latencySamples;
  return 10 * Math.log10(energyOf(mic, 0, end) / energyOf(out, lag, end + lag));
}

describe('the canceller seeded from calibration', () => {
  it.each(Object.keys(ECHO_PATHS))(
    '%s: ≥ 20 dB over the first half second, ≥ 8 dB more than a cold start',
    async (name) => {
      const path = generateEchoPath(ECHO_PATHS[name] as (typeof ECHO_PATHS)[string]);
      const measured = await calibrate(path);
      const seeded = earlyErleDb(path, 0.5, measured);
      const cold = earlyErleDb(path, 0.5);
      console.log(
        `${name}: ERLE over the first 0.5 s, linear filter — seeded from calibration ${seeded.toFixed(1)} dB, cold start ${cold.toFixed(1)} dB`,
      );
      expect(seeded).toBeGreaterThanOrEqual(20);
      expect(seeded - cold).toBeGreaterThanOrEqual(8);
    },
  );

  it('refuses a calibrated response without its delay', () => {
    expect(() => new EchoCanceller({ frameSamples: FRAME, initialImpulseResponse: [1, 0.5] })).toThrow(
      /initialDelayMs/,
    );
  });
});
