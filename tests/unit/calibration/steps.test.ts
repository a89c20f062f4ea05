/**
 * The calibration steps and the step runner, through CalibrationIo over the simulated
 * acoustic loop (a test double): what each step measures on a loop whose truth is
 * known, and the refusals a dead microphone, a loud room, clipping, a silent speaker or
 * an impossible delay produce.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ECHO_PATHS, generateEchoPath } from '../../../bench/acoustics/echo-path.js';
import { wearerSpeech } from '../../../bench/acoustics/speech-sources.js';
import { EndpointCalibrationIo } from '../../../calibration/calibration-io.js';
import { MASK_BANDS_HZ } from '../../../calibration/calibration-profile.js';
import { defaultMaskLeak } from '../../../calibration/defaults.js';
import { activeSpeechLevel } from '../../../calibration/level-measurement.js';
import { runCalibrationSteps } from '../../../calibration/step-runner.js';
import { echoPathStep } from '../../../calibration/steps/echo-path-step.js';
import { defaultMaskLeakStep, maskLeakStep } from '../../../calibration/steps/mask-leak-step.js';
import { micGainStep } from '../../../calibration/steps/mic-gain-step.js';
import { noiseFloorStep } from '../../../calibration/steps/noise-floor-step.js';
import type { CalibrationStep } from '../../../calibration/steps/step.js';
import { SimulatedEchoLoop, type SimulatedEchoLoopOptions } from '../../doubles/simulated-echo-loop.js';

const MASK_CAVITY = generateEchoPath(ECHO_PATHS['mask-cavity'] as (typeof ECHO_PATHS)[string]);
const gainOf = (db: number): Float32Array => new Float32Array([10 ** (db / 20)]);

/** The wearer's Mandarin (real recordings from ../shared, or the labelled synthetic stand-in) at a chosen P.56 level. */
let speechAt: (levelDbfs: number) => Float32Array;
beforeAll(async () => {
  const speech = await wearerSpeech(12);
  const measured = activeSpeechLevel(speech.samples, 16_000).activeLevelDbfs;
  speechAt = (levelDbfs) => speech.samples.map((value) => value * 10 ** ((levelDbfs - measured) / 20));
});

/** Runs steps through a fresh simulated loop; the wearer speaks during the steps that ask for it. */
async function run(steps: CalibrationStep[], loopOptions: Partial<SimulatedEchoLoopOptions>, speech?: Float32Array) {
  const loop = new SimulatedEchoLoop({ echoPath: MASK_CAVITY, micNoiseDbfs: -70, seed: 5, ...loopOptions });
  const io = new EndpointCalibrationIo({
    openCapture: () => loop.capture,
    openPlayback: () => loop.playback,
    openOuterCapture: loop.outerCapture ? () => loop.outerCapture as NonNullable<typeof loop.outerCapture> : undefined,
    captureDescription: loop.capture.description,
    playbackDescription: loop.playback.description,
  });
  return runCalibrationSteps({
    steps,
    io,
    now: () => new Date('2025-03-02T09:00:00.000Z'),
    hooks: {
      beforeStep: (step) => {
        loop.wearer = speech && (step.name === 'gain' || step.name === 'leak') ? { samples: speech } : undefined;
      },
    },
  });
}

describe('noise floor step', () => {
  it('measures the microphone’s noise (−70 dBFS) within 0.3 dB', async () => {
    const result = await run([noiseFloorStep()], {});
    expect(result.problems).toEqual([]);
    expect(result.sections.noiseFloor?.noiseFloorDbfs).toBeCloseTo(-70, 0);
    expect(Math.abs((result.sections.noiseFloor?.noiseFloorDbfs ?? 0) + 70)).toBeLessThan(0.3);
    expect(result.sections.noiseFloor?.durationSeconds).toBe(3);
  });

  it.each([
    ['digital silence', { stuckAt: 0 }, /^noise: no signal: the microphone delivered digital silence/],
    ['a microphone stuck at a DC level', { stuckAt: 0.02 }, /^noise: no signal: .*every sample 655 of 32768/],
    ['a loud room', { micNoiseDbfs: -30 }, /^noise: too loud to calibrate: the quiet room measured -30\.\d dBFS/],
  ])('refuses %s, writing no section', async (_label, options, reason) => {
    const result = await run([noiseFloorStep(), echoPathStep()], options);
    expect(result.problems).toEqual([expect.stringMatching(reason)]);
    expect(result.sections).toEqual({});
    expect(result.skipped).toEqual(['echo']);
  });
});

describe('microphone gain step', () => {
  it('measures the wearer at −32 dBFS (P.56) and sets +6 dB of gain to reach −26 dBFS', async () => {
    const result = await run([noiseFloorStep(), micGainStep()], {}, speechAt(-32));
    expect(result.problems).toEqual([]);
    const micGain = result.sections.micGain;
    expect(Math.abs((micGain?.speechLevelDbfs ?? 0) + 32)).toBeLessThan(1);
    expect(micGain?.gainDb).toBeCloseTo(-26 - (micGain?.speechLevelDbfs ?? 0), 1);
    expect(micGain?.peakDbfs).toBeLessThan(-1);
  });

  it('refuses clipped speech', async () => {
    const result = await run([micGainStep()], {}, speechAt(-3));
    expect(result.problems).toEqual([
      expect.stringMatching(/^gain: clipping: \d+ samples of the microphone at full scale/),
    ]);
  });

  it('refuses a recording in which nobody spoke', async () => {
    const result = await run([micGainStep()], {});
    expect(result.problems).toEqual([expect.stringMatching(/^gain: no speech heard/)]);
  });
});

describe('echo path step', () => {
  it('measures the mask-cavity path (21.7 ms, −9 dB) and keeps its impulse response', async () => {
    const result = await run([echoPathStep()], {});
    expect(result.problems).toEqual([]);
    const echo = result.sections.echoPath;
    expect(Math.abs((echo?.delayMs ?? 0) - 21.7)).toBeLessThan(0.1);
    expect(Math.abs((echo?.gainDb ?? 0) + 9)).toBeLessThan(0.2);
    expect(echo?.ioLatencyMs).toBeCloseTo((echo?.delayMs ?? 0) - 0.29, 2);
    expect(echo?.impulseResponse.length).toBeGreaterThan(1_000);
  });

  it('says "no signal" when the speaker is not heard', async () => {
    const result = await run([echoPathStep()], { echoPath: new Float32Array([0]) });
    expect(result.problems).toEqual([expect.stringMatching(/^echo: no signal: the microphone did not hear the sweep/)]);
  });

  it('refuses a delay out of range (a 350 ms path)', async () => {
    const late = generateEchoPath({ ...(ECHO_PATHS['near-dry'] as (typeof ECHO_PATHS)[string]), delayMs: 350 });
    const result = await run([echoPathStep({ excitation: 'mls' })], { echoPath: late });
    expect(result.problems).toEqual([
      expect.stringMatching(/^echo: delay out of range: 350\.0\d ms \(expected 0–300 ms\)/),
    ]);
  });

  it('refuses a speaker loud enough to clip the microphone', async () => {
    const result = await run([echoPathStep({ levelDbfs: 0 })], { echoPath: gainOf(12) });
    expect(result.problems[0]).toMatch(/^echo: clipping: .*turn the speaker volume down/);
  });
});

describe('mask leak step', () => {
  const outer = { leakPath: gainOf(-35), speakerPath: gainOf(-30), noiseDbfs: -100 };

  it('measures a −35 dB leak and a −30 dB speaker level in every band, within 1 dB', async () => {
    const result = await run([maskLeakStep()], { outer }, speechAt(-26));
    expect(result.problems).toEqual([]);
    const leak = result.sections.maskLeak;
    expect(leak?.source).toBe('outer-microphone');
    expect(leak?.bandsHz).toEqual([...MASK_BANDS_HZ]);
    for (const db of leak?.leakDb ?? []) expect(Math.abs(db + 35)).toBeLessThan(1);
    for (const db of leak?.speakerToListenerDb ?? []) expect(Math.abs(db + 30)).toBeLessThan(1);
  });

  it('moves an outer microphone at 25 cm out to the listener at 1 m (12 dB of spreading)', async () => {
    const result = await run([maskLeakStep({ outerDistanceCm: 25 })], { outer }, speechAt(-26));
    for (const db of result.sections.maskLeak?.leakDb ?? []) expect(Math.abs(db + 47)).toBeLessThan(1);
  });

  it('refuses when the wearer does not speak', async () => {
    const result = await run([maskLeakStep()], { outer });
    expect(result.problems[0]).toMatch(/^leak: no speech heard/);
  });

  it('without an outer microphone, records nothing and writes the documented default, labelled so', async () => {
    const result = await run([defaultMaskLeakStep()], {});
    expect(result.problems).toEqual([]);
    expect(result.sections.maskLeak).toEqual(defaultMaskLeak('2025-03-02T09:00:00.000Z'));
    expect(result.sections.maskLeak?.source).toBe('default');
  });
});

describe('step runner', () => {
  it('runs every step, merging their sections, and hands the noise floor to the gain step', async () => {
    const result = await run(
      [noiseFloorStep(), micGainStep(), echoPathStep(), defaultMaskLeakStep()],
      {},
      speechAt(-30),
    );
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.sections)).toEqual(['noiseFloor', 'micGain', 'echoPath', 'maskLeak']);
    const gain = result.outcomes[1]?.measurement;
    expect(gain?.kind === 'gain' && gain.noiseFloorDbfs).toBeCloseTo(-70, 0);
  });
});
