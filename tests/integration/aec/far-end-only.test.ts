/**
 * Far-end speech only: the device's English (real espeak-ng speech, −20 dBFS) through each
 * simulated echo path into the mask microphone (pink noise at −70 dBFS). ERLE, convergence
 * and the delay estimate, as defined in bench/aec/aec-scenario.ts; `collar bench aec`
 * reports the same figures.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyseErle,
  buildEchoScenario,
  type EchoScenario,
  echoPath,
  loadSpeech,
  PATH_NAMES,
  runCanceller,
  SAMPLE_RATE_HZ,
  type SpeechMaterial,
  TARGET_CONVERGENCE_SECONDS,
  TARGET_ERLE_DB,
} from '../../../bench/aec/aec-scenario.js';

const SECONDS = 12;
/**
 * The linear filter alone, by the strict per-window definition, converges in 0.8–3.1 s on
 * this material (English fricatives reach high bins for the first time seconds in); the
 * canceller's output (filter + suppressor) meets the 1 s target. Measured bound, not a goal.
 */
const LINEAR_CONVERGENCE_BOUND_SECONDS = 3.5;

let speech: SpeechMaterial;

beforeAll(async () => {
  speech = await loadSpeech(SECONDS + 1);
  console.info(`aec far-end-only: English from ${speech.englishSource}`);
});

describe.each(PATH_NAMES)('echo path %s, far end only', (name) => {
  let scenario: EchoScenario;
  beforeAll(() => {
    scenario = buildEchoScenario({ path: echoPath(name), seconds: SECONDS, speech });
  });

  it(`converges within ${TARGET_CONVERGENCE_SECONDS} s to ≥ ${TARGET_ERLE_DB} dB ERLE (filter + suppressor)`, () => {
    const run = runCanceller(scenario, { frameSamples: 160 });
    const erle = analyseErle(scenario, run.output, { fromS: 0, toS: SECONDS });
    expect(erle.windows.length).toBeGreaterThan(50);
    expect(erle.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
    expect(erle.convergenceS).toBeLessThanOrEqual(TARGET_CONVERGENCE_SECONDS);
  });

  it(`leaves ≥ ${TARGET_ERLE_DB} dB ERLE from the linear filter alone after a second`, () => {
    const run = runCanceller(scenario, { frameSamples: 160, residualSuppression: false });
    const erle = analyseErle(scenario, run.output, { fromS: 0, toS: SECONDS });
    expect(erle.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
    expect(erle.convergenceS).toBeLessThanOrEqual(LINEAR_CONVERGENCE_BOUND_SECONDS);
  });

  it('finds the direct-sound delay within 1 ms, in under half a second, from a cold start', () => {
    const run = runCanceller(scenario, { frameSamples: 160, residualSuppression: false });
    const trueDelaySamples = (echoPath(name).delayMs * SAMPLE_RATE_HZ) / 1000;
    const withinMs = (samples: number) => (Math.abs(samples - trueDelaySamples) * 1000) / SAMPLE_RATE_HZ <= 1;
    const firstRight = run.frames.findIndex((frame) => withinMs(frame.report.bulkDelaySamples));
    expect(firstRight).toBeGreaterThanOrEqual(0);
    expect((firstRight * 160) / SAMPLE_RATE_HZ).toBeLessThan(0.5);
    expect(run.frames.slice(firstRight).every((frame) => withinMs(frame.report.bulkDelaySamples))).toBe(true);
  });
});

describe('other ways in', () => {
  it('meets the targets with 20 ms frames', () => {
    const scenario = buildEchoScenario({ path: echoPath('mask-cavity'), seconds: SECONDS, speech });
    const run = runCanceller(scenario, { frameSamples: 320 });
    const erle = analyseErle(scenario, run.output, { fromS: 0, toS: SECONDS });
    expect(run.latencySamples).toBe(192);
    expect(erle.erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
    expect(erle.convergenceS).toBeLessThanOrEqual(TARGET_CONVERGENCE_SECONDS);
  });

  it('starts from the calibrated delay and keeps it', () => {
    const path = echoPath('room-reflections');
    const scenario = buildEchoScenario({ path, seconds: SECONDS, speech });
    const run = runCanceller(scenario, { frameSamples: 160, initialDelayMs: path.delayMs });
    const calibrated = Math.round((path.delayMs * SAMPLE_RATE_HZ) / 1000);
    expect(run.frames[0]?.report.bulkDelaySamples).toBe(calibrated);
    expect(run.frames.every((frame) => Math.abs(frame.report.bulkDelaySamples - calibrated) <= 16)).toBe(true);
    expect(analyseErle(scenario, run.output, { fromS: 0, toS: SECONDS }).erleDb).toBeGreaterThanOrEqual(TARGET_ERLE_DB);
  });

  it('reports a running ERLE and far-end activity that agree with the measurement', () => {
    const scenario = buildEchoScenario({ path: echoPath('near-dry'), seconds: SECONDS, speech });
    const run = runCanceller(scenario, { frameSamples: 160, residualSuppression: false });
    const measured = analyseErle(scenario, run.output, { fromS: 0, toS: SECONDS }).erleDb;
    const late = run.frames.slice(-300).map((frame) => frame.report.erleDb);
    const median = [...late].sort((a, b) => a - b)[late.length >> 1] as number;
    expect(Math.abs(median - measured)).toBeLessThan(6);
    // Frames whose echo is loud all count as far-end active.
    const echoActive = run.frames.filter((_, index) => {
      let energy = 0;
      for (let i = index * 160; i < index * 160 + 160; i++) energy += (scenario.echo[i] as number) ** 2;
      return energy / 160 > 1e-4;
    });
    expect(echoActive.length).toBeGreaterThan(100);
    expect(echoActive.every((frame) => frame.report.farEndActive)).toBe(true);
  });
});
