/**
 * Deconvolution and impulse-response analysis: a known response, convolved with the
 * excitation plus noise, comes back — its taps, its delay to a fraction of a sample,
 * its energy gain — by sweep and by MLS.
 */
import { describe, expect, it } from 'vitest';
import { convolve } from '../../../bench/acoustics/convolve.js';
import { ECHO_PATHS, generateEchoPath, pathGainDb } from '../../../bench/acoustics/echo-path.js';
import {
  deconvolveSweep,
  type ImpulseResponseEstimate,
  mlsImpulseResponse,
} from '../../../calibration/deconvolution.js';
import { exponentialSweep, maximumLengthSequence } from '../../../calibration/excitation.js';
import { analyseImpulseResponse } from '../../../calibration/impulse-response.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const RATE = 16_000;
const SWEEP_BAND = { startHz: 40, endHz: 7_950 };
const sweep = exponentialSweep({ ...SWEEP_BAND, durationSeconds: 3, amplitude: 0.25, fadeMs: 10, sampleRateHz: RATE });
const mls = maximumLengthSequence(14);
const MLS_AMPLITUDE = 0.25;

/** Adds a Hann-windowed sinc pulse at a fractional position (a band-limited impulse). */
function addPulse(taps: Float32Array, position: number, amplitude: number): void {
  for (let i = Math.floor(position) - 15; i <= Math.floor(position) + 16; i++) {
    if (i < 0 || i >= taps.length) continue;
    const x = i - position;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    taps[i] = (taps[i] as number) + amplitude * sinc * (0.5 + 0.5 * Math.cos((Math.PI * x) / 16));
  }
}

function withNoise(signal: Float32Array, noiseDbfs: number, seed = 4): Float32Array {
  const gaussian = gaussianSource(seededRandom(seed));
  const amplitude = 10 ** (noiseDbfs / 20);
  return signal.map((value) => value + amplitude * gaussian());
}

/** Records `path` with the sweep: the sweep then 1.5 s, through the path, with mic noise. */
function sweepEstimate(path: Float32Array, noiseDbfs: number, shiftSamples = 0): ImpulseResponseEstimate {
  const played = new Float32Array(sweep.samples.length + 24_000);
  played.set(sweep.samples);
  let recorded = convolve(played, path);
  if (shiftSamples > 0)
    recorded = Float32Array.from([...recorded.subarray(shiftSamples), ...new Float32Array(shiftSamples)]);
  return deconvolveSweep(withNoise(recorded, noiseDbfs), sweep.samples, {
    ...SWEEP_BAND,
    sampleRateHz: RATE,
    leadSamples: 3_200,
    maxSearchLagSamples: 9_600,
    noiseLags: { start: 16_000, end: 22_400 },
  });
}

function mlsEstimate(path: Float32Array, noiseDbfs: number): ImpulseResponseEstimate {
  const played = new Float32Array(mls.length * 4);
  for (let i = 0; i < played.length; i++) played[i] = MLS_AMPLITUDE * (mls[i % mls.length] as number);
  return mlsImpulseResponse(withNoise(convolve(played, path), noiseDbfs), mls, {
    amplitude: MLS_AMPLITUDE,
    warmUpPeriods: 1,
    averagedPeriods: 3,
    sampleRateHz: RATE,
    leadSamples: 3_200,
    maxSearchLagSamples: 9_600,
    noiseLags: { start: 10_400, end: 12_800 },
  });
}

/** Error energy of the estimate against the true taps, relative to their energy (dB). */
function tapErrorDb(estimate: ImpulseResponseEstimate, truth: Float32Array): number {
  let error = 0;
  let energy = 0;
  for (let lag = 0; lag < truth.length + 400; lag++) {
    const expected = truth[lag] ?? 0;
    const got = estimate.taps[lag + estimate.zeroLagIndex] as number;
    error += (got - expected) ** 2;
    energy += expected ** 2;
  }
  return 10 * Math.log10(error / energy);
}

// The sweep stops at 7950 Hz and the response is estimated only up to there, so the
// generated paths' last 50 Hz before Nyquist are missing from it; the MLS is full band.
describe.each([
  ['exponential sweep', sweepEstimate, -20],
  ['MLS', mlsEstimate, -40],
])('%s deconvolution', (_name, estimate, tapErrorLimitDb) => {
  it.each(Object.entries(ECHO_PATHS))('recovers the %s path: taps, delay and gain', (_path, spec) => {
    const path = generateEchoPath(spec);
    const result = estimate(path, -70);
    expect(tapErrorDb(result, path)).toBeLessThan(tapErrorLimitDb);
    const analysis = analyseImpulseResponse(result, { maxTaps: 8192 });
    expect(Math.abs(analysis.delayMs - spec.delayMs)).toBeLessThan(0.05);
    expect(Math.abs(analysis.gainDb - pathGainDb(path))).toBeLessThan(0.2);
    expect(analysis.snrDb).toBeGreaterThan(50);
    // The kept taps start at the direct sound and end where the response meets the noise.
    expect(analysis.taps.length).toBeGreaterThan(((spec.tailLengthMs - 10) * RATE) / 1000);
    expect(analysis.taps.length).toBeLessThanOrEqual(8192);
  });

  it('places a band-limited pulse between samples (delay 160.37 samples)', () => {
    const path = new Float32Array(400);
    addPulse(path, 160.37, 0.5);
    const analysis = analyseImpulseResponse(estimate(path, -80), { maxTaps: 8192 });
    expect(Math.abs(analysis.delaySamples - 160.37)).toBeLessThan(0.02);
    expect(analysis.gainDb).toBeCloseTo(pathGainDb(path), 1);
  });

  it('takes the direct sound, not a louder reflection 3 ms after it (within 6 dB)', () => {
    const path = new Float32Array(800);
    addPulse(path, 200, 0.6);
    addPulse(path, 248, -1);
    const analysis = analyseImpulseResponse(estimate(path, -80), { maxTaps: 8192 });
    expect(analysis.delaySamples).toBeCloseTo(200, 1);
  });

  it('reports less SNR, and keeps fewer taps, when the microphone is noisier', () => {
    const path = generateEchoPath(ECHO_PATHS['room-reflections'] as (typeof ECHO_PATHS)[string]);
    const quiet = analyseImpulseResponse(estimate(path, -80), { maxTaps: 8192 });
    const noisy = analyseImpulseResponse(estimate(path, -40), { maxTaps: 8192 });
    expect(quiet.snrDb - noisy.snrDb).toBeGreaterThan(35);
    expect(noisy.taps.length).toBeLessThan(quiet.taps.length);
    // The gain stays right: the noise the kept taps carry is taken out, the decay under it added.
    expect(Math.abs(noisy.gainDb - pathGainDb(path))).toBeLessThan(0.5);
  });
});

describe('sweep deconvolution of a recording that starts late', () => {
  it('shows the echo at a negative delay instead of wrapping round', () => {
    const path = new Float32Array(200);
    addPulse(path, 80, 0.5);
    // The recording starts 50 ms after playback: the direct sound lands 5 ms − 50 ms = −45 ms.
    const analysis = analyseImpulseResponse(sweepEstimate(path, -80, 800), { maxTaps: 8192 });
    expect(analysis.delayMs).toBeCloseTo(-45, 1);
  });
});
