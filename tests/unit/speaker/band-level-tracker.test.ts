/** The masker's level follower: fast attack, hold, slow constant-rate release. */
import { describe, expect, it } from 'vitest';
import { BandLevelTracker } from '../../../pipeline/stages/speaker/band-level-tracker.js';

const HOP_MS = 5;
const db = (power: number) => 10 * Math.log10(power);

describe('BandLevelTracker', () => {
  it('rises to within 1 dB of a step in 2.3 attack time constants', () => {
    const tracker = new BandLevelTracker(1, HOP_MS, { attackMs: 5 });
    const loud = Float64Array.of(1e-3);
    tracker.update(loud);
    expect(db(tracker.levels[0] as number)).toBeLessThan(-31); // one 5 ms hop: 63 % of the power
    tracker.update(loud);
    tracker.update(loud);
    expect(db(tracker.levels[0] as number)).toBeGreaterThan(-31); // 15 ms: within 1 dB of −30
  });

  it('holds for holdMs, then falls at releaseDbPerSecond until it meets the input', () => {
    const tracker = new BandLevelTracker(1, HOP_MS, { attackMs: 1, holdMs: 100, releaseDbPerSecond: 10 });
    for (let i = 0; i < 20; i++) tracker.update(Float64Array.of(1e-3));
    const peakDb = db(tracker.levels[0] as number);
    const quiet = Float64Array.of(1e-9);
    for (let i = 0; i < 100 / HOP_MS; i++) tracker.update(quiet);
    expect(db(tracker.levels[0] as number)).toBeCloseTo(peakDb, 6);
    for (let i = 0; i < 1000 / HOP_MS; i++) tracker.update(quiet); // one second of release
    expect(db(tracker.levels[0] as number)).toBeCloseTo(peakDb - 10, 6);
    for (let i = 0; i < 10_000 / HOP_MS; i++) tracker.update(quiet);
    expect(db(tracker.levels[0] as number)).toBeCloseTo(-90, 6);
  });

  it('keeps bands independent', () => {
    const tracker = new BandLevelTracker(2, HOP_MS);
    for (let i = 0; i < 10; i++) tracker.update(Float64Array.of(1e-2, 1e-6));
    expect(db(tracker.levels[0] as number)).toBeCloseTo(-20, 1);
    expect(db(tracker.levels[1] as number)).toBeCloseTo(-60, 1);
  });

  it('names a bad option and its range', () => {
    expect(() => new BandLevelTracker(1, HOP_MS, { releaseDbPerSecond: 0 })).toThrow(
      /releaseDbPerSecond: must be between 1 and 200 dB\/s, got 0/,
    );
    expect(() => new BandLevelTracker(1, HOP_MS, { attackMs: 0 })).toThrow(/attackMs: must be more than 0/);
    expect(() => new BandLevelTracker(1, HOP_MS, { holdMS: 10 } as never)).toThrow(/holdMS: unknown key/);
  });
});
