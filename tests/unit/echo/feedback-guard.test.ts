/** FeedbackGuard decisions on scripted canceller reports. */
import { describe, expect, it } from 'vitest';
import type { EchoFrameReport } from '../../../pipeline/dsp/aec/echo-canceller.js';
import { FeedbackGuard } from '../../../pipeline/stages/echo/feedback-guard.js';

const FRAME = 320; // 20 ms

function report(overrides: Partial<EchoFrameReport>): EchoFrameReport {
  return {
    bulkDelaySamples: 0,
    farEndActive: false,
    doubleTalk: false,
    micDbfs: -40,
    outputDbfs: -60,
    echoEstimateDbfs: -40,
    residualEchoDbfs: -70,
    erleDb: 30,
    ...overrides,
  };
}

function apply(guard: FeedbackGuard, r: EchoFrameReport): { muted: boolean; frame: Float32Array } {
  const frame = new Float32Array(FRAME).fill(0.1);
  const { muted } = guard.apply(frame, r);
  return { muted, frame };
}

describe('FeedbackGuard', () => {
  it('is transparent while nothing plays', () => {
    const guard = new FeedbackGuard({ frameSamples: FRAME });
    const { muted, frame } = apply(guard, report({}));
    expect(muted).toBe(false);
    expect(frame[0]).toBeCloseTo(0.1);
  });

  it('silences the residue while the speaker plays and for tailMs after it stops', () => {
    const guard = new FeedbackGuard({ frameSamples: FRAME, tailMs: 100 });
    const first = apply(guard, report({ farEndActive: true }));
    expect(first.muted).toBe(true);
    // The first guarded frame ramps down (no click); the next is 100 dB down.
    expect(first.frame[0]).toBeGreaterThan(0.05);
    expect(Math.abs(first.frame.at(-1) as number)).toBeLessThan(1e-5);
    const playing = apply(guard, report({ farEndActive: true }));
    expect(playing.frame.every((v) => Math.abs(v) <= 0.1 * 1e-5)).toBe(true);
    const tail = Array.from({ length: 6 }, () => apply(guard, report({})).muted);
    expect(tail).toEqual([true, true, true, true, true, false]); // 100 ms = 5 frames of tail
  });

  const wearer = report({
    farEndActive: true,
    doubleTalk: true,
    outputDbfs: -30,
    echoEstimateDbfs: -32,
    residualEchoDbfs: -50,
  });

  it('counts the tail from the echo, not the reference: the bulk delay is added', () => {
    const guard = new FeedbackGuard({ frameSamples: FRAME, tailMs: 100 });
    apply(guard, report({ farEndActive: true, bulkDelaySamples: 3 * FRAME }));
    const tail = Array.from({ length: 9 }, () => apply(guard, report({ bulkDelaySamples: 3 * FRAME })).muted);
    expect(tail).toEqual([true, true, true, true, true, true, true, true, false]); // 5 tail + 3 delay frames
  });

  it('lets the wearer through over the English on sustained double talk well above the residual echo', () => {
    const guard = new FeedbackGuard({ frameSamples: FRAME, marginDb: 6, holdMs: 40 });
    // Four of the last five frames must agree before it opens.
    const opening = Array.from({ length: 4 }, () => apply(guard, wearer).muted);
    expect(opening).toEqual([true, true, true, false]);
    // Held through a short gap between syllables, then guarded again.
    const gap = Array.from({ length: 4 }, () => apply(guard, report({ farEndActive: true })).muted);
    expect(gap).toEqual([false, false, false, true]);
  });

  it('ignores isolated double-talk flags (a non-linear speaker’s residue)', () => {
    const guard = new FeedbackGuard({ frameSamples: FRAME });
    const decisions = Array.from(
      { length: 20 },
      (_, i) => apply(guard, i % 3 === 0 ? wearer : report({ farEndActive: true })).muted,
    );
    expect(decisions.every(Boolean)).toBe(true);
  });

  it('does not trust double talk that is no louder than the echo it expects, far below the echo, or from an unconverged canceller', () => {
    for (const doubtful of [
      { outputDbfs: -52, residualEchoDbfs: -55 },
      { outputDbfs: -50, echoEstimateDbfs: -30, residualEchoDbfs: -70 },
      { erleDb: 5 },
    ]) {
      const guard = new FeedbackGuard({ frameSamples: FRAME, marginDb: 6 });
      const decisions = Array.from({ length: 10 }, () => apply(guard, { ...wearer, ...doubtful }).muted);
      expect(decisions.every(Boolean), JSON.stringify(doubtful)).toBe(true);
    }
  });

  it('refuses a negative margin and impossible evidence counts', () => {
    expect(() => new FeedbackGuard({ frameSamples: FRAME, marginDb: -1 })).toThrow(/marginDb/);
    expect(() => new FeedbackGuard({ frameSamples: FRAME, evidenceFrames: 3, evidenceNeeded: 4 })).toThrow(
      /evidenceNeeded/,
    );
  });
});
