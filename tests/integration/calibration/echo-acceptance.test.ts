/**
 * Acceptance: calibration, run through the device interface (CaptureEndpoint /
 * PlaybackEndpoint) with the loop closed by a known synthetic echo path, recovers each
 * path's delay within 1 ms and its gain within 1 dB. The loop is the simulated acoustic
 * loop test double (sample-synchronous: what playback takes, convolved with the path,
 * plus microphone noise, comes out of capture); everything else is the code `collar
 * calibrate` runs: EndpointCalibrationIo, the echo step, deconvolution, analysis,
 * plausibility.
 */
import { describe, expect, it } from 'vitest';
import { ECHO_PATHS, generateEchoPath, pathGainDb } from '../../../bench/acoustics/echo-path.js';
import { EndpointCalibrationIo } from '../../../calibration/calibration-io.js';
import { runCalibrationSteps } from '../../../calibration/step-runner.js';
import { echoPathStep } from '../../../calibration/steps/echo-path-step.js';
import { SimulatedEchoLoop } from '../../doubles/simulated-echo-loop.js';

/** Microphone self-noise of the simulated device: a quiet room through a MEMS microphone. */
const MIC_NOISE_DBFS = -60;

describe.each(['exp-sweep', 'mls'] as const)('echo calibration by %s through the simulated loop', (excitation) => {
  it.each(Object.entries(ECHO_PATHS))(
    'recovers the %s path: delay within 1 ms, gain within 1 dB',
    async (name, spec) => {
      const path = generateEchoPath(spec);
      const loop = new SimulatedEchoLoop({ echoPath: path, micNoiseDbfs: MIC_NOISE_DBFS, seed: 17 });
      const io = new EndpointCalibrationIo({
        openCapture: () => loop.capture,
        openPlayback: () => loop.playback,
        captureDescription: loop.capture.description,
        playbackDescription: loop.playback.description,
      });
      const result = await runCalibrationSteps({ steps: [echoPathStep({ excitation })], io });
      expect(result.problems).toEqual([]);
      const echo = result.sections.echoPath;
      if (!echo) throw new Error('no echo section');
      const delayErrorMs = echo.delayMs - spec.delayMs;
      const gainErrorDb = echo.gainDb - pathGainDb(path);
      console.log(
        `${excitation} ${name}: delay ${echo.delayMs.toFixed(3)} ms (true ${spec.delayMs}, error ${delayErrorMs.toFixed(3)}), gain ${echo.gainDb.toFixed(3)} dB (true ${pathGainDb(path).toFixed(3)}, error ${gainErrorDb.toFixed(3)}), SNR ${echo.snrDb.toFixed(1)} dB`,
      );
      expect(Math.abs(delayErrorMs)).toBeLessThan(1);
      expect(Math.abs(gainErrorDb)).toBeLessThan(1);
      expect(echo.excitation).toBe(excitation);
    },
  );
});
