/** SpeechPlayout: order, barge-in by utterance id, stale frames dropped, bounds. */
import { describe, expect, it } from 'vitest';
import { SpeechPlayout } from '../../../pipeline/stages/speaker/speech-playout.js';

const FRAME = 320;
const frameOf = (value: number) => new Float32Array(FRAME).fill(value);

function pullAll(playout: SpeechPlayout, count: number): Array<string | undefined> {
  const out = new Float32Array(FRAME);
  return Array.from({ length: count }, () => playout.pullFrame(out));
}

describe('SpeechPlayout', () => {
  it('plays utterances one after another in the order they were opened, then reports them done', () => {
    const done: string[] = [];
    const playout = new SpeechPlayout({ frameSamples: FRAME }, { onUtteranceDone: (id) => done.push(id) });
    playout.push('a', frameOf(0.1));
    playout.push('b', frameOf(0.2));
    playout.push('a', frameOf(0.1));
    playout.end('a');
    playout.end('b');
    expect(pullAll(playout, 4)).toEqual(['a', 'a', 'b', undefined]);
    expect(done).toEqual(['a', 'b']);
  });

  it('keeps the turn while synthesis is behind: silence, not the next utterance', () => {
    const playout = new SpeechPlayout({ frameSamples: FRAME });
    playout.push('a', frameOf(0.1));
    playout.push('b', frameOf(0.2));
    const out = new Float32Array(FRAME);
    expect(playout.pullFrame(out)).toBe('a');
    expect(playout.pullFrame(out)).toBeUndefined();
    expect(out.every((v) => v === 0)).toBe(true);
    playout.end('a');
    expect(playout.pullFrame(out)).toBe('b');
  });

  it('interrupt drops the queued audio at once and refuses frames synthesis still sends for that id', () => {
    const playout = new SpeechPlayout({ frameSamples: FRAME });
    for (let i = 0; i < 10; i++) playout.push('a', frameOf(0.5));
    playout.push('b', frameOf(0.2));
    pullAll(playout, 2);
    expect(playout.interrupt('a')).toBe(8);
    expect(playout.push('a', frameOf(0.5))).toBe(false);
    expect(playout.droppedStaleFrames).toBe(1);
    const out = new Float32Array(FRAME);
    expect(playout.pullFrame(out)).toBe('b');
    expect(out[0]).toBeCloseTo(0.2);
  });

  it('interrupt without an id stops everything', () => {
    const playout = new SpeechPlayout({ frameSamples: FRAME });
    playout.push('a', frameOf(0.5));
    playout.push('b', frameOf(0.5));
    playout.interrupt();
    expect(pullAll(playout, 2)).toEqual([undefined, undefined]);
    expect(playout.push('b', frameOf(0.5))).toBe(false);
  });

  it('is bounded: pushes beyond maxQueuedMs are refused and counted', () => {
    const playout = new SpeechPlayout({ frameSamples: FRAME, maxQueuedMs: 100 });
    const accepted = Array.from({ length: 8 }, () => playout.push('a', frameOf(0.1))).filter(Boolean).length;
    expect(accepted).toBe(5);
    expect(playout.refusedFrames).toBe(3);
    expect(playout.spaceFrames()).toBe(0);
  });

  it('refuses frames of the wrong length with a message naming both lengths', () => {
    const playout = new SpeechPlayout({ frameSamples: FRAME });
    expect(() => playout.push('a', new Float32Array(160))).toThrow(/320 samples, got 160/);
  });
});
