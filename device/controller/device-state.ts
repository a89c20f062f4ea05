/**
 * The controller's state as a discriminated union, and the one pure function that says
 * where an event leads (DESIGN.md principle 8, after discord.js AudioPlayer). Side
 * effects (interrupting synthesis, muting, LEDs, earcons) live in the Controller, which
 * is the only caller.
 */

export type DeviceState =
  | { status: 'booting' }
  | { status: 'calibrating' }
  | { status: 'idle' }
  | { status: 'listening'; utteranceId: string }
  | { status: 'translating'; utteranceId: string }
  | { status: 'speaking'; utteranceId: string }
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
  | { type: 'speechStart'; utteranceId: string }
  | { type: 'speechEnd' }
  | { type: 'translationReady' }
  | { type: 'nothingUnderstood' }
  | { type: 'playbackDone' }
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
    case 'listening':
      if (event.type === 'speechEnd') return to({ status: 'translating', utteranceId: state.utteranceId });
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    case 'translating':
      if (event.type === 'translationReady') return to({ status: 'speaking', utteranceId: state.utteranceId });
      if (event.type === 'nothingUnderstood') return to({ status: 'idle' });
      if (event.type === 'speechStart') return to({ status: 'listening', utteranceId: event.utteranceId });
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    case 'speaking':
      if (event.type === 'playbackDone') return to({ status: 'idle' });
      // Barge-in: the wearer speaks again while English plays.
      if (event.type === 'speechStart') return to({ status: 'listening', utteranceId: event.utteranceId });
      if (event.type === 'mute') return to({ status: 'muted' });
      return refuse(state, event);
    case 'muted':
      if (event.type === 'unmute') return to({ status: 'idle' });
      return refuse(state, event);
    case 'fault':
      if (event.type === 'deviceRestored') return to({ status: 'idle' });
      return refuse(state, event);
  }
}
