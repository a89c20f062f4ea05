/**
 * Every state × every event, table-driven. The expected table is written out here by
 * hand (not derived from the code), so a change to the transition function that is not
 * also a deliberate change to this table fails.
 */
import { describe, expect, it } from 'vitest';
import {
  DEVICE_STATUSES,
  type DeviceState,
  type DeviceStatus,
  nextState,
  STATE_EVENT_TYPES,
  type StateEvent,
  type StateEventType,
} from '../../../device/controller/device-state.js';

const X = null; // refused
const EXPECTED: Record<DeviceStatus, Record<StateEventType, DeviceStatus | null>> = {
  //            bootComplete calibStart  calibDone  speechStart  speechEnd     translReady nothingUnd playbackDone mute     unmute  deviceLost deviceRestored
  booting: {
    bootComplete: 'idle',
    calibrationStart: 'calibrating',
    calibrationDone: X,
    speechStart: X,
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: X,
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  calibrating: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: 'idle',
    speechStart: X,
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: X,
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  idle: {
    bootComplete: X,
    calibrationStart: 'calibrating',
    calibrationDone: X,
    speechStart: 'listening',
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: 'muted',
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  listening: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: X,
    speechStart: X,
    speechEnd: 'translating',
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: 'muted',
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  translating: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: X,
    speechStart: 'listening',
    speechEnd: X,
    translationReady: 'speaking',
    nothingUnderstood: 'idle',
    playbackDone: X,
    mute: 'muted',
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  speaking: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: X,
    speechStart: 'listening',
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: 'idle',
    mute: 'muted',
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: X,
  },
  muted: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: X,
    speechStart: X,
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: X,
    unmute: 'idle',
    deviceLost: 'fault',
    deviceRestored: X,
  },
  fault: {
    bootComplete: X,
    calibrationStart: X,
    calibrationDone: X,
    speechStart: X,
    speechEnd: X,
    translationReady: X,
    nothingUnderstood: X,
    playbackDone: X,
    mute: X,
    unmute: X,
    deviceLost: 'fault',
    deviceRestored: 'idle',
  },
};

function stateOf(status: DeviceStatus): DeviceState {
  switch (status) {
    case 'listening':
    case 'translating':
    case 'speaking':
      return { status, utteranceId: 'u1' };
    case 'fault':
      return { status, reason: 'unplugged', attempt: 2 };
    default:
      return { status };
  }
}

function eventOf(type: StateEventType): StateEvent {
  if (type === 'speechStart') return { type, utteranceId: 'u2' };
  if (type === 'deviceLost') return { type, reason: 'gone' };
  return { type } as StateEvent;
}

const cases = DEVICE_STATUSES.flatMap((status) => STATE_EVENT_TYPES.map((type) => [status, type] as const));

describe('nextState: every state × every event', () => {
  it('covers 8 states × 12 events', () => {
    expect(cases).toHaveLength(96);
  });

  it.each(cases)('%s + %s', (status, type) => {
    const expected = EXPECTED[status][type];
    const result = nextState(stateOf(status), eventOf(type));
    if (expected === null) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toBe(`"${type}" is not allowed while ${status}`);
    } else {
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.next.status).toBe(expected);
    }
  });

  it('carries the utterance id through listening → translating → speaking, and takes the new one on barge-in', () => {
    const translating = nextState({ status: 'listening', utteranceId: 'a' }, { type: 'speechEnd' });
    expect(translating.ok && translating.next).toEqual({ status: 'translating', utteranceId: 'a' });
    const bargeIn = nextState({ status: 'speaking', utteranceId: 'a' }, { type: 'speechStart', utteranceId: 'b' });
    expect(bargeIn.ok && bargeIn.next).toEqual({ status: 'listening', utteranceId: 'b' });
  });

  it('counts fault attempts and keeps the latest reason', () => {
    const first = nextState({ status: 'idle' }, { type: 'deviceLost', reason: 'mic gone' });
    expect(first.ok && first.next).toEqual({ status: 'fault', reason: 'mic gone', attempt: 1 });
    const again = nextState(
      { status: 'fault', reason: 'mic gone', attempt: 1 },
      { type: 'deviceLost', reason: 'still gone' },
    );
    expect(again.ok && again.next).toEqual({ status: 'fault', reason: 'still gone', attempt: 2 });
  });
});
