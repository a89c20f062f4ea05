/** The controller's side effects: control events sent, earcons, refusals logged, settings. */
import { describe, expect, it } from 'vitest';
import { Controller, type EarconName, type StateChange } from '../../../device/controller/controller.js';
import type { ControlEvent } from '../../../pipeline/control/control-event.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { captureLogger } from '../../doubles/test-logger.js';

function setup() {
  const { logger, lines } = captureLogger();
  const lane = new ControlLane(logger);
  const sent: ControlEvent[] = [];
  lane.subscribe((event) => sent.push(event));
  const controller = new Controller({
    lane,
    logger,
    voices: ['en-US', 'en-GB', 'en-GB-scotland'],
    voice: 'en-GB',
    volumeDb: 0,
    mode: 'translate',
  });
  const changes: StateChange[] = [];
  const earcons: EarconName[] = [];
  controller.on('stateChange', (change) => changes.push(change));
  controller.on('earcon', (name) => earcons.push(name));
  return { controller, lane, sent, changes, earcons, lines };
}

describe('Controller', () => {
  it('emits stateChange for each accepted transition and plays the matching earcons', () => {
    const { controller, changes, earcons } = setup();
    controller.dispatch({ type: 'bootComplete' });
    controller.handleInput('pushToTalkDown');
    controller.handleInput('pushToTalkUp');
    controller.dispatch({ type: 'translationReady' });
    controller.dispatch({ type: 'playbackDone' });
    expect(changes.map((c) => c.to.status)).toEqual(['idle', 'listening', 'translating', 'speaking', 'idle']);
    expect(earcons).toEqual(['heard', 'englishComing']);
  });

  it('barge-in interrupts the utterance being spoken, by id', () => {
    const { controller, sent } = setup();
    controller.dispatch({ type: 'bootComplete' });
    controller.dispatch({ type: 'speechStart', utteranceId: 'first' });
    controller.dispatch({ type: 'speechEnd' });
    controller.dispatch({ type: 'translationReady' });
    controller.dispatch({ type: 'speechStart', utteranceId: 'second' });
    expect(sent).toContainEqual({ type: 'interrupt', utteranceId: 'first', reason: 'speechStart' });
    expect(controller.getState()).toEqual({ status: 'listening', utteranceId: 'second' });
  });

  it('refuses an illegal event without changing state, logs it and reports it', () => {
    const { controller, changes, lines } = setup();
    const refused: string[] = [];
    controller.on('refused', (r) => refused.push(r.reason));
    expect(controller.dispatch({ type: 'playbackDone' })).toBe(false);
    expect(controller.getState()).toEqual({ status: 'booting' });
    expect(changes).toEqual([]);
    expect(refused).toEqual(['"playbackDone" is not allowed while booting']);
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('refused'))).toBe(true);
  });

  it('mute toggles through the control lane; settings change without changing state', () => {
    const { controller, sent } = setup();
    controller.dispatch({ type: 'bootComplete' });
    controller.handleInput('muteToggle');
    expect(controller.getState().status).toBe('muted');
    controller.handleInput('muteToggle');
    expect(controller.getState().status).toBe('idle');
    controller.handleInput('volumeUp');
    controller.handleInput('volumeUp');
    controller.handleInput('volumeDown');
    controller.handleInput('nextAccent');
    controller.handleInput('nextAccent');
    controller.handleInput('modeToggle');
    expect(sent.map((e) => e.type)).toEqual([
      'mute',
      'unmute',
      'setVolume',
      'setVolume',
      'setVolume',
      'setVoice',
      'setVoice',
      'setMode',
    ]);
    expect(controller.settings()).toEqual({ voice: 'en-US', volumeDb: 3, mode: 'monitor' });
    expect(controller.getState().status).toBe('idle');
  });

  it('clamps the volume to the allowed range', () => {
    const { controller } = setup();
    for (let i = 0; i < 20; i++) controller.handleInput('volumeUp');
    expect(controller.settings().volumeDb).toBe(12);
  });

  it('a lost device is a fault from any state; restored returns to idle with earcons', () => {
    const { controller, earcons } = setup();
    controller.dispatch({ type: 'bootComplete' });
    controller.dispatch({ type: 'deviceLost', reason: 'capture stalled' });
    controller.dispatch({ type: 'deviceLost', reason: 'still stalled' });
    expect(controller.getState()).toEqual({ status: 'fault', reason: 'still stalled', attempt: 2 });
    controller.dispatch({ type: 'deviceRestored' });
    expect(controller.getState().status).toBe('idle');
    expect(earcons).toEqual(['fault', 'restored']);
  });
});

describe('Controller follows the endpointer on the control lane', () => {
  it('goes listening on speechStart and translating on speechEnd', () => {
    const { controller, lane } = setup();
    controller.dispatch({ type: 'bootComplete' });
    const statuses: string[] = [];
    controller.on('stateChange', ({ to }) => statuses.push(to.status));
    lane.send({ type: 'speechStart', utteranceId: 'utt-1', startSample: 16_000, preRollStartSample: 12_800 });
    lane.send({
      type: 'speechEnd',
      utteranceId: 'utt-1',
      startSample: 16_000,
      endSample: 48_000,
      decidedAtSample: 52_800,
      reason: 'silence',
    });
    expect(statuses).toEqual(['listening', 'translating']);
    expect(controller.getState()).toMatchObject({ status: 'translating', utteranceId: 'utt-1' });
  });
});
