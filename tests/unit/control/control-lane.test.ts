import { describe, expect, it } from 'vitest';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { ControlEventError, ControlLane } from '../../../pipeline/control/control-lane.js';
import { captureLogger } from '../../doubles/test-logger.js';

describe('ControlLane', () => {
  it('delivers each valid event synchronously to every subscriber, in order', () => {
    const lane = new ControlLane();
    const seenA: ControlEvent[] = [];
    const seenB: string[] = [];
    lane.subscribe((event) => seenA.push(event));
    const unsubscribe = lane.subscribe((event) => seenB.push(event.type));
    lane.send({ type: 'mute' });
    lane.send({ type: 'setVoice', voiceId: 'en-GB' });
    unsubscribe();
    lane.send({ type: 'unmute' });
    expect(seenA.map((e) => e.type)).toEqual(['mute', 'setVoice', 'unmute']);
    expect(seenB).toEqual(['mute', 'setVoice']);
  });

  it.each([
    [{ type: 'explode' }, /invalid control event/],
    [{ type: 'setVolume', volumeDb: 40 }, /volumeDb: .*got 40/],
    [{ type: 'setMode', mode: 'karaoke' }, /mode: .*got "karaoke"/],
    [{ type: 'interrupt', utteranceId: '' }, /utteranceId/],
  ])('rejects %j before any subscriber sees it', (input, problem) => {
    const lane = new ControlLane();
    const seen: unknown[] = [];
    lane.subscribe((event) => seen.push(event));
    expect(() => lane.send(input)).toThrow(ControlEventError);
    expect(() => lane.send(input)).toThrow(problem);
    expect(seen).toEqual([]);
  });

  it('keeps delivering when one subscriber throws, and logs the failure', () => {
    const { logger, lines } = captureLogger();
    const lane = new ControlLane(logger);
    const seen: string[] = [];
    lane.subscribe(() => {
      throw new Error('subscriber broke');
    });
    lane.subscribe((event) => seen.push(event.type));
    lane.send({ type: 'flush' });
    expect(seen).toEqual(['flush']);
    expect(lines.some((line) => line.msg === 'control listener failed')).toBe(true);
  });
});
