/** Levels, clipping, digital silence and the ITU-T P.56 active speech level on signals whose answers are known. */
import { describe, expect, it } from 'vitest';
import { activeSpeechLevel, levelSpreadDb, signalStats } from '../../../calibration/level-measurement.js';
import { gaussianSource, seededRandom } from '../../../pipeline/dsp/seeded-random.js';

const RATE = 16_000;

function sine(amplitude: number, seconds: number, frequencyHz = 440): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * RATE) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / RATE),
  );
}

describe('signalStats', () => {
  it('reads a −6 dBFS-peak sine as −9 dBFS RMS, unclipped, not silent', () => {
    const stats = signalStats(sine(0.5, 1));
    expect(stats.rmsDbfs).toBeCloseTo(-9.03, 1);
    expect(stats.acRmsDbfs).toBeCloseTo(-9.03, 1);
    expect(stats.peakDbfs).toBeCloseTo(-6.02, 1);
    expect(stats.clippedSamples).toBe(0);
    expect(stats.digitalSilence).toBe(false);
  });

  it('calls zeros, and a microphone stuck at one value, digital silence', () => {
    expect(signalStats(new Float32Array(1000)).digitalSilence).toBe(true);
    const stuck = signalStats(new Float32Array(1000).fill(0.25));
    expect(stuck.digitalSilence).toBe(true);
    expect(stuck.acRmsDbfs).toBe(Number.NEGATIVE_INFINITY);
    expect(stuck.dcOffset).toBeCloseTo(0.25, 6);
  });

  it('counts samples at full scale and the longest run of them', () => {
    const clipped = sine(2, 0.1).map((value) => Math.max(-1, Math.min(32_767 / 32_768, value)));
    const stats = signalStats(clipped);
    expect(stats.clippedSamples).toBeGreaterThan(100);
    expect(stats.longestClipRun).toBeGreaterThan(3);
  });
});

describe('active speech level (ITU-T P.56 method B)', () => {
  it('of a steady tone is its RMS, with full activity', () => {
    const level = activeSpeechLevel(sine(0.1, 2), RATE);
    expect(level.activeLevelDbfs).toBeCloseTo(20 * Math.log10(0.1 / Math.SQRT2), 0);
    expect(level.activityFactor).toBeGreaterThan(0.95);
  });

  it('leaves pauses out: 0.5 s bursts each second read within 2 dB of the bursts, not 3 dB under', () => {
    const burst = sine(0.1, 0.5);
    const signal = new Float32Array(RATE * 8);
    for (let start = 0; start < signal.length; start += RATE) signal.set(burst, start);
    const level = activeSpeechLevel(signal, RATE);
    const burstDbfs = 20 * Math.log10(0.1 / Math.SQRT2);
    expect(level.longTermLevelDbfs).toBeCloseTo(burstDbfs - 3, 1);
    // Active: each burst plus the 200 ms hangover after it (P.56 counts that as speech).
    expect(level.activityFactor).toBeGreaterThan(0.7);
    expect(level.activityFactor).toBeLessThan(0.85);
    expect(level.activeLevelDbfs).toBeGreaterThan(burstDbfs - 2);
    expect(level.activeLevelDbfs).toBeLessThan(burstDbfs);
    // The active level is the long-term level over the active fraction.
    expect(level.activeLevelDbfs - level.longTermLevelDbfs).toBeCloseTo(-10 * Math.log10(level.activityFactor), 2);
  });

  it('finds nothing active in silence', () => {
    const level = activeSpeechLevel(new Float32Array(RATE), RATE);
    expect(level.activeLevelDbfs).toBe(Number.NEGATIVE_INFINITY);
    expect(level.activityFactor).toBe(0);
  });
});

describe('levelSpreadDb', () => {
  it('is small for steady noise and large for bursts with pauses', () => {
    const gaussian = gaussianSource(seededRandom(2));
    const noise = Float32Array.from({ length: RATE * 2 }, () => 0.01 * gaussian());
    expect(levelSpreadDb(noise, RATE)).toBeLessThan(3);
    const bursts = noise.map((value, i) => (Math.floor(i / 4_000) % 2 === 0 ? value * 100 : value));
    expect(levelSpreadDb(bursts, RATE)).toBeGreaterThan(35);
  });
});
