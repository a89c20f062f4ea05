/** The endpointer driven by scripted probabilities, one 32 ms window (512 samples) each. */
import { describe, expect, it } from 'vitest';
import { type EndpointEvent, Endpointer, type EndpointerOptions } from '../../../pipeline/stages/vad/endpointer.js';

const W = 512; // samples per window
const ms = (milliseconds: number) => (milliseconds * 16_000) / 1000;

/** Feed a script like '....####....' ('#' = 0.9, '.' = 0.05, '-' = 0.4) and collect events with their window index. */
function drive(script: string, options: EndpointerOptions = {}, finishAtEnd = false) {
  const endpointer = new Endpointer(options);
  const events: Array<EndpointEvent & { window: number }> = [];
  const probability = { '#': 0.9, '.': 0.05, '-': 0.4 } as const;
  [...script].forEach((symbol, window) => {
    for (const event of endpointer.accept(probability[symbol as keyof typeof probability], window * W, W)) {
      events.push({ ...event, window });
    }
  });
  if (finishAtEnd)
    for (const event of endpointer.finish(script.length * W)) events.push({ ...event, window: script.length });
  return events;
}

describe('Endpointer', () => {
  it('reports a start at the first speech window once min speech is reached, and an end after the trailing silence', () => {
    // 10 silent windows, 20 speech, then silence. minSpeech 250 ms = 7.8 windows; trailing 300 ms = 9.4 windows.
    const events = drive(`${'.'.repeat(10)}${'#'.repeat(20)}${'.'.repeat(15)}`);
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
    const [start, end] = events;
    expect(start).toMatchObject({ startSample: 10 * W, preRollStartSample: 10 * W - ms(200), window: 17 });
    expect(end).toMatchObject({ startSample: 10 * W, endSample: 30 * W, reason: 'silence', window: 39 });
    expect(end?.type === 'speechEnd' && end.decidedAtSample).toBe(40 * W);
    expect(start?.utteranceId).toBe(end?.utteranceId);
  });

  it('ignores a blip shorter than the minimum speech length', () => {
    expect(drive(`....###${'.'.repeat(20)}`)).toEqual([]);
  });

  it('keeps one utterance across a pause shorter than the trailing silence, and dips that stay above the silence threshold', () => {
    const events = drive(`..${'#'.repeat(10)}......${'#'.repeat(5)}----${'#'.repeat(5)}${'.'.repeat(12)}`);
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd']);
  });

  it('splits at a pause longer than the trailing silence, with fresh utterance ids and a pre-roll that stays out of the last utterance', () => {
    const events = drive(`..${'#'.repeat(10)}${'.'.repeat(10)}${'#'.repeat(10)}${'.'.repeat(12)}`, { preRollMs: 1000 });
    expect(events.map((e) => e.type)).toEqual(['speechStart', 'speechEnd', 'speechStart', 'speechEnd']);
    const ids = new Set(events.map((e) => e.utteranceId));
    expect(ids.size).toBe(2);
    const firstEnd = events[1];
    const secondStart = events[2];
    expect(secondStart?.type === 'speechStart' && secondStart.preRollStartSample).toBe(
      firstEnd?.type === 'speechEnd' ? firstEnd.endSample : -1,
    );
  });

  it('cuts a long utterance at the next pause after the maximum length', () => {
    // max 1000 ms = 31.25 windows; a short pause (2 windows) at window 40 must cut it.
    const script = `${'#'.repeat(40)}..${'#'.repeat(10)}${'.'.repeat(12)}`;
    const events = drive(script, { maxUtteranceMs: 1000 });
    expect(
      events.filter((e) => e.type === 'speechEnd').map((e) => e.type === 'speechEnd' && [e.reason, e.endSample]),
    ).toEqual([
      ['maxLength', 40 * W],
      ['silence', 52 * W],
    ]);
  });

  it('cuts where it stands when no pause comes within the wait', () => {
    const events = drive('#'.repeat(60), { maxUtteranceMs: 1000, maxPauseWaitMs: 500 });
    const end = events.find((e) => e.type === 'speechEnd');
    expect(end?.type === 'speechEnd' && end.reason).toBe('maxLength');
    // 1500 ms = 46.9 windows: cut at the end of window 47.
    expect(end?.type === 'speechEnd' && end.endSample).toBe(47 * W);
  });

  it('closes an open utterance at the end of the stream', () => {
    const events = drive(`..${'#'.repeat(12)}...`, {}, true);
    expect(events.at(-1)).toMatchObject({ type: 'speechEnd', reason: 'endOfStream', endSample: 14 * W });
  });

  it('forgets the utterance in progress on reset', () => {
    const endpointer = new Endpointer();
    for (let w = 0; w < 12; w++) endpointer.accept(0.9, w * W, W);
    expect(endpointer.inSpeech).toBe(true);
    endpointer.reset();
    expect(endpointer.inSpeech).toBe(false);
    expect(endpointer.finish(12 * W)).toEqual([]);
  });

  it('refuses thresholds the wrong way round and out-of-range settings, naming them', () => {
    expect(() => new Endpointer({ speechThreshold: 0.3, silenceThreshold: 0.6 })).toThrow(/silenceThreshold/);
    expect(() => new Endpointer({ trailingSilenceMs: 5 })).toThrow(/trailingSilenceMs/);
  });
});
