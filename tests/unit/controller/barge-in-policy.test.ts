/**
 * The barge-in policy: `interrupt` abandons the English being spoken (an interrupt on
 * the lane, by id); `queue` keeps it playing and speaks the new utterance after it.
 */
import { describe, expect, it } from 'vitest';
import { Controller } from '../../../device/controller/controller.js';
import type { BargeInPolicy } from '../../../device/controller/device-state.js';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { captureLogger } from '../../doubles/test-logger.js';

function speakingController(bargeIn: BargeInPolicy) {
  const { logger } = captureLogger();
  const lane = new ControlLane(logger);
  const interrupts: string[] = [];
  lane.subscribe((event: ControlEvent) => {
    if (event.type === 'interrupt') interrupts.push(event.utteranceId ?? '*');
  });
  const controller = new Controller({
    lane,
    logger,
    voices: ['en-US'],
    voice: 'en-US',
    volumeDb: 0,
    mode: 'translate',
    bargeIn,
  });
  controller.dispatch({ type: 'bootComplete' });
  lane.send({ type: 'speechStart', utteranceId: 'u1', startSample: 0, preRollStartSample: 0 });
  controller.dispatch({ type: 'speechEnd' });
  controller.dispatch({ type: 'translationReady' });
  return { controller, lane, interrupts };
}

describe('barge-in policy', () => {
  it('interrupt: the wearer speaking over the English interrupts it by id', () => {
    const { controller, lane, interrupts } = speakingController('interrupt');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    expect(interrupts).toEqual(['u1']);
    expect(controller.getState()).toEqual({ status: 'listening', utteranceId: 'u2' });
  });

  it('queue: the English keeps playing, and the new English is spoken after it', () => {
    const { controller, lane, interrupts } = speakingController('queue');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    expect(controller.getState()).toEqual({ status: 'listening', utteranceId: 'u2', stillPlaying: ['u1'] });
    controller.dispatch({ type: 'speechEnd' });
    expect(controller.getState()).toEqual({ status: 'translating', utteranceId: 'u2', stillPlaying: ['u1'] });
    controller.dispatch({ type: 'translationReady' });
    expect(controller.getState()).toEqual({ status: 'speaking', utteranceId: 'u2', stillPlaying: ['u1'] });
    // u1 finishing does not end u2; u2 finishing does.
    expect(controller.dispatch({ type: 'playbackDone', utteranceId: 'u1' })).toBe(true);
    expect(controller.getState()).toEqual({ status: 'speaking', utteranceId: 'u2' });
    controller.dispatch({ type: 'playbackDone', utteranceId: 'u2' });
    expect(controller.getState()).toEqual({ status: 'idle' });
    expect(interrupts).toEqual([]);
  });

  it('queue: the old English finishing while the wearer still talks clears it', () => {
    const { controller, lane } = speakingController('queue');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    controller.dispatch({ type: 'playbackDone', utteranceId: 'u1' });
    expect(controller.getState()).toEqual({ status: 'listening', utteranceId: 'u2' });
  });

  it('queue: nothing understood in the new utterance goes back to speaking the old one', () => {
    const { controller, lane, interrupts } = speakingController('queue');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    controller.dispatch({ type: 'speechEnd' });
    controller.dispatch({ type: 'nothingUnderstood' });
    expect(controller.getState()).toEqual({ status: 'speaking', utteranceId: 'u1' });
    expect(interrupts).toEqual(['u2']);
  });

  it('a late playbackDone for English already interrupted changes nothing', () => {
    const { controller, lane } = speakingController('interrupt');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    controller.dispatch({ type: 'speechEnd' });
    controller.dispatch({ type: 'translationReady' });
    controller.dispatch({ type: 'playbackDone', utteranceId: 'u1' });
    expect(controller.getState()).toEqual({ status: 'speaking', utteranceId: 'u2' });
  });

  it('queue: mute stops both the queued and the playing English', () => {
    const { controller, lane, interrupts } = speakingController('queue');
    lane.send({ type: 'speechStart', utteranceId: 'u2', startSample: 16_000, preRollStartSample: 12_800 });
    controller.dispatch({ type: 'speechEnd' });
    controller.dispatch({ type: 'mute' });
    expect(interrupts.sort()).toEqual(['u1', 'u2']);
  });
});
