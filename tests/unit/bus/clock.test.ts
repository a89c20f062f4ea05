import { describe, expect, it } from 'vitest';
import { AcceleratedClock, VirtualClock } from '../../../pipeline/bus/clock.js';

describe('clocks count in samples', () => {
  it('VirtualClock jumps to the target of a sleep and advances only when told', async () => {
    const clock = new VirtualClock(16_000);
    expect(clock.nowSamples()).toBe(0);
    await clock.sleepUntil(16_000);
    expect(clock.nowSamples()).toBe(16_000);
    await clock.sleepUntil(8_000);
    expect(clock.nowSamples()).toBe(16_000);
    clock.advance(320);
    expect(clock.nowSamples()).toBe(16_320);
    expect(() => clock.advance(-1)).toThrow(/negative/);
  });

  it('a sleep rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(new VirtualClock().sleepUntil(10, controller.signal)).rejects.toThrow('stopped');
    const realtime = new AcceleratedClock(1);
    const pending = realtime.sleepUntil(16_000 * 60, AbortSignal.timeout(5));
    await expect(pending).rejects.toBeDefined();
  });

  it('AcceleratedClock refuses a speed factor that is not a positive finite number', () => {
    expect(() => new AcceleratedClock(0)).toThrow(/speedFactor/);
    expect(() => new AcceleratedClock(Number.POSITIVE_INFINITY)).toThrow(/speedFactor/);
  });

  it('AcceleratedClock reaches the target of a sleep, never earlier', async () => {
    const clock = new AcceleratedClock(100, 16_000);
    const target = clock.nowSamples() + 16_000; // 1 s of audio = 10 ms of wall time at 100x
    await clock.sleepUntil(target);
    expect(clock.nowSamples()).toBeGreaterThanOrEqual(target);
  });
});
