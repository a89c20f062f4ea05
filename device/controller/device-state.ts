/**
 * The controller's state as a discriminated union, and the one pure function that says
 * where an event leads (DESIGN.md principle 8, after discord.js AudioPlayer). Side
 * effects (interrupting synthesis, muting, LEDs, earcons) live in the Controller, which
 * is the only caller.
 */

import type { BargeInPolicy } from '../../pipeline/control/control-event.js';

export type { BargeInPolicy };

export type DeviceState =
  | { status: 'booting' }
  | { status: 'calibrating' }
  | { status: 'idle' }
  /** `stillPlaying`: earlier utterances whose English plays on (the `queue` barge-in policy), oldest first. */
  | { status: 'listening'; utteranceId: string; stillPlaying?: readonly string[] }
  | { status: 'translating'; utteranceId: string; stillPlaying?: readonly string[] }
  | { status: 'speaking'; utteranceId: string; stillPlaying?: readonly string[] }
  | { status: 'muted' }
  | { status: 'fault'; reason: string; attempt: number };

export type DeviceStatus = DeviceState['status'];

export const DEVICE_STATUSES: readonly DeviceStatus[] = [
  'booting',
  'calibrating',
  'idle',
  'listening',
  'translating',
  'speaking',
  'muted',
  'fault',
];

/** Events that can change the state. Settings (volume, accent, mode) never do; see Controller. */
export type StateEvent =
  | { type: 'bootComplete' }
  | { type: 'calibrationStart' }
  | { type: 'calibrationDone' }
  | { type: 'speechStart'; utteranceId: string; bargeIn?: BargeInPolicy }
  | { type: 'speechEnd' }
  | { type: 'translationReady' }
  | { type: 'nothingUnderstood' }
  /** The English of `utteranceId` finished playing (without an id: the oldest still playing). */
  | { type: 'playbackDone'; utteranceId?: string }
  | { type: 'mute' }
  | { type: 'unmute' }
  | { type: 'deviceLost'; reason: string }
  | { type: 'deviceRestored' };

export type StateEventType = StateEvent['type'];

export const STATE_EVENT_TYPES: readonly StateEventType[] = [
  'bootComplete',
  'calibrationStart',
  'calibrationDone',
  'speechStart',
  'speechEnd',
  'translationReady',
  'nothingUnderstood',
  'playbackDone',
  'mute',
  'unmute',
  'deviceLost',
  'deviceRestored',
];

export type TransitionResult = { ok: true; next: DeviceState } | { ok: false; reason: string };

const refuse = (state: DeviceState, event: StateEvent): TransitionResult => ({
  ok: false,
  reason: `"${event.type}" is not allowed while ${state.status}`,
});

/** `{ stillPlaying }` when any, else nothing: states without queued English stay plain. */
function playing(ids: readonly string[] | undefined): { stillPlaying?: readonly string[] } {
  return ids && ids.length > 0 ? { stillPlaying: ids } : {};
}

/** `ids` less the one a playbackDone names (the oldest when it names none). */
function withoutFinished(ids: readonly string[], event: { utteranceId?: string }): readonly string[] {
  const finished = event.utteranceId ?? ids[0];
  return ids.filter((id) => id !== finished);
}

/** Whether a playbackDone names English this state still has playing. */
function namesPlaying(ids: readonly string[], event: { utteranceId?: string }): boolean {
  return ids.length > 0 && (event.utteranceId === undefined || ids.includes(event.utteranceId));
}

/**
 * The utterances whose English is pending or playing in `state` (a listening utterance
 * has none yet). The controller interrupts those that a transition leaves behind.
 */
export function outputUtterances(state: DeviceState): string[] {
  switch (state.status) {
    case 'speaking':
    case 'translating':
      return [...(state.stillPlaying ?? []), state.utteranceId];
    case 'listening':
      return [...(state.stillPlaying ?? [])];
    default:
      return [];
  }
}

/** Where `event` leads from `state`, or why it may not happen. Pure: no side effects. */
export function nextState(state: DeviceState, event: StateEvent): TransitionResult {
  const to = (next: DeviceState): TransitionResult => ({ ok: true, next });
  // A lost device is a fault from anywhere; a fault counts its attempts.
  if (event.type === 'deviceLost') {
    return to({ status: 'fault', reason: event.reason, attempt: state.status === 'fault' ? state.attempt + 1 : 1 });
  }
  switch (state.status) {
    case 'booting':
      if (event.type === 'bootComplete') return to({ status: 'idle' });
      if (event.type === 'calibrationStart') return to({ status: 'calibrating' });
      return refuse(state, event);
    case 'calibrating':
      if (event.type === 'calibrationDone') return to({ status: 'idle' });
      return refuse(state, event);
    case 'idle':
      if (event.type === 'speechStart') return to({ status: 'listening', utteranceId: event.utteranceId });
      if (event.type === 'mute') return to({ status: 'muted' });
      if (event.type === 'calibrationStart') return to({ status: 'calibrating' });
      return refuse(state, event);
    case 'listening': {
      const still = state.stillPlaying ?? [];
      if (event.type === 'speechEnd') {
        return to({ status: 'translating', utteranceId: state.utteranceId, ...playing(still) });
      }
      if (event.type === 'playbackDone' && namesPlaying(still, event)) {
        return to({ status: 'listening', utteranceId: state.utteranceId, ...playing(withoutFinished(still, event)) });
      }
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    }
    case 'translating': {
      const still = state.stillPlaying ?? [];
      if (event.type === 'translationReady') {
        return to({ status: 'speaking', utteranceId: state.utteranceId, ...playing(still) });
      }
      if (event.type === 'nothingUnderstood') {
        // Back to the English still playing, if any.
        const last = still.at(-1);
        return to(
          last === undefined
            ? { status: 'idle' }
            : { status: 'speaking', utteranceId: last, ...playing(still.slice(0, -1)) },
        );
      }
      if (event.type === 'playbackDone' && namesPlaying(still, event)) {
        return to({ status: 'translating', utteranceId: state.utteranceId, ...playing(withoutFinished(still, event)) });
      }
      // Speaking again before the English is ready abandons that translation.
      if (event.type === 'speechStart') {
        return to({ status: 'listening', utteranceId: event.utteranceId, ...playing(still) });
      }
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    }
    case 'speaking': {
      const still = state.stillPlaying ?? [];
      if (event.type === 'playbackDone') {
        const finished = event.utteranceId ?? still[0] ?? state.utteranceId;
        if (finished === state.utteranceId) return to({ status: 'idle' });
        // An earlier utterance (kept by a queued barge-in) finishing does not end this one.
        if (still.includes(finished)) {
          return to({ status: 'speaking', utteranceId: state.utteranceId, ...playing(withoutFinished(still, event)) });
        }
        return to(state); // a late notice for English already interrupted: nothing changes
      }
      // Barge-in: the wearer speaks again while English plays.
      if (event.type === 'speechStart') {
        return to(
          event.bargeIn === 'queue'
            ? { status: 'listening', utteranceId: event.utteranceId, stillPlaying: [...still, state.utteranceId] }
            : { status: 'listening', utteranceId: event.utteranceId },
        );
      }
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    }
    case 'muted':
      if (event.type === 'unmute') return to({ status: 'idle' });
      return refuse(state, event);
    case 'fault':
      if (event.type === 'deviceRestored') return to({ status: 'idle' });
      return refuse(state, event);
  }
}
