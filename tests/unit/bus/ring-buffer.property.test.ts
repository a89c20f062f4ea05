/**
 * Seeded property tests: random sequences of pushes, pops and clears against a plain
 * array model. Small capacities make wrap-around and the full/empty edges frequent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';

const SEED = 20261123;

type Op = { kind: 'push'; length: number; start: number } | { kind: 'pop'; length: number } | { kind: 'clear' };

const opArb = (maxLength: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('push' as const),
        length: fc.integer({ min: 0, max: maxLength }),
        start: fc.integer({ min: -30000, max: 30000 }),
      }),
    },
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('pop' as const), length: fc.integer({ min: 0, max: maxLength }) }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  );

describe('RingBuffer (property, seeded)', () => {
  it('behaves like a bounded FIFO that never overwrites, for any op sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 17 }),
        fc.constantFrom<'int16' | 'float32'>('int16', 'float32'),
        fc.array(opArb(24), { minLength: 1, maxLength: 200 }),
        (capacity, kind, ops) => {
          const ring = RingBuffer.create('prop', kind, capacity);
          const model: number[] = [];
          let overrunSamples = 0;
          let overrunEvents = 0;
          let underrunEvents = 0;
          let pushed = 0;
          let popped = 0;
          let cleared = 0;
          for (const op of ops) {
            if (op.kind === 'push') {
              const source = kind === 'int16' ? new Int16Array(op.length) : new Float32Array(op.length);
              for (let i = 0; i < op.length; i++) source[i] = ((op.start + i * 7) % 32000) | 0;
              const expected = Math.min(op.length, capacity - model.length);
              expect(ring.push(source)).toBe(expected);
              for (let i = 0; i < expected; i++) model.push(source[i] as number);
              pushed += expected;
              if (expected < op.length) {
                overrunSamples += op.length - expected;
                overrunEvents += 1;
              }
            } else if (op.kind === 'pop') {
              const target = kind === 'int16' ? new Int16Array(op.length) : new Float32Array(op.length);
              const expected = Math.min(op.length, model.length);
              expect(ring.pop(target)).toBe(expected);
              const taken = model.splice(0, expected);
              expect(Array.from(target.subarray(0, expected))).toEqual(taken);
              popped += expected;
              if (expected < op.length) underrunEvents += 1;
            } else {
              expect(ring.clear()).toBe(model.length);
              cleared += model.length;
              model.length = 0;
            }
            expect(ring.availableRead()).toBe(model.length);
            expect(ring.availableWrite()).toBe(capacity - model.length);
          }
          const stats = ring.stats();
          expect(stats).toMatchObject({
            availableSamples: model.length,
            pushedSamples: pushed,
            poppedSamples: popped,
            clearedSamples: cleared,
            overrunSamples,
            overrunEvents,
            underrunEvents,
          });
        },
      ),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('counts totals correctly across many wrap-arounds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (capacity, chunk) => {
        const ring = RingBuffer.create('wraps', 'int16', capacity);
        const buffer = new Int16Array(chunk);
        let next = 0;
        let expectNext = 0;
        for (let round = 0; round < 500; round++) {
          for (let i = 0; i < chunk; i++) buffer[i] = (next + i) % 1000;
          const written = ring.push(buffer);
          next += written;
          const out = new Int16Array(chunk);
          const read = ring.pop(out, Math.min(chunk, ring.availableRead()));
          for (let i = 0; i < read; i++) expect(out[i]).toBe(expectNext++ % 1000);
        }
        const stats = ring.stats();
        expect(stats.pushedSamples).toBe(next);
        expect(stats.poppedSamples).toBe(expectNext);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('RingBuffer edges', () => {
  it('refuses all of a push into a full ring and counts one overrun', () => {
    const ring = RingBuffer.create('full', 'int16', 4);
    expect(ring.push(new Int16Array([1, 2, 3, 4]))).toBe(4);
    expect(ring.availableWrite()).toBe(0);
    expect(ring.push(new Int16Array([5, 6]))).toBe(0);
    const out = new Int16Array(4);
    expect(ring.pop(out)).toBe(4);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    expect(ring.stats()).toMatchObject({ overrunSamples: 2, overrunEvents: 1 });
  });

  it('returns nothing from an empty ring and counts one underrun', () => {
    const ring = RingBuffer.create('empty', 'float32', 3);
    expect(ring.pop(new Float32Array(2))).toBe(0);
    expect(ring.stats().underrunEvents).toBe(1);
  });

  it('shares state with a ring attached from its descriptor', () => {
    const ring = RingBuffer.create('shared', 'int16', 8);
    const other = RingBuffer.attach(ring.describe());
    ring.push(new Int16Array([7, 8, 9]));
    const out = new Int16Array(3);
    expect(other.pop(out)).toBe(3);
    expect(Array.from(out)).toEqual([7, 8, 9]);
    expect(ring.availableRead()).toBe(0);
  });

  it('rejects a capacity that is not a positive integer, naming the ring', () => {
    expect(() => RingBuffer.create('bad', 'int16', 0)).toThrow(
      /ring "bad": capacitySamples must be a positive integer/,
    );
    expect(() => RingBuffer.create('bad', 'int16', 2.5)).toThrow(/positive integer/);
  });

  it('finishes once closed and drained', () => {
    const ring = RingBuffer.create('close', 'int16', 4);
    ring.push(new Int16Array([1]));
    ring.close();
    expect(ring.isFinished()).toBe(false);
    ring.pop(new Int16Array(1));
    expect(ring.isFinished()).toBe(true);
  });
});

describe('RingBuffer attached after it has moved (a restarted worker)', () => {
  it('a new consumer sees exactly what is queued, and a new producer cannot overwrite unread samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.nat(40), fc.nat(40), (capacity, pushes, pops) => {
        const ring = RingBuffer.create('moved', 'int16', capacity);
        const one = new Int16Array(1);
        let queued = 0;
        for (let i = 0; i < Math.max(pushes, pops); i++) {
          if (i < pushes && ring.push(Int16Array.of(i)) === 1) queued += 1;
          if (i < pops && ring.pop(one) === 1) queued -= 1;
        }
        const consumer = RingBuffer.attach(ring.describe());
        expect(consumer.canPop(queued + 1)).toBe(false);
        if (queued > 0) expect(consumer.canPop(queued)).toBe(true);
        const producer = RingBuffer.attach(ring.describe());
        expect(producer.push(new Int16Array(capacity))).toBe(capacity - queued);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('RingBuffer waits', () => {
  it('a consumer waiting for data wakes when the producer closes the ring', async () => {
    const ring = RingBuffer.create('close-wake', 'int16', 8);
    setTimeout(() => ring.close(), 5);
    // Without the wake-up this would sleep for the whole 30 s timeout and fail the test.
    await expect(ring.waitForDataAsync(1, 30_000)).resolves.toBe(false);
  }, 10_000);
});
