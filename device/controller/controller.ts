/**
 * The controller: holds the DeviceState, applies events through `nextState`, does the
 * cleanup each transition needs (interrupt stale synthesis, mute the output), and emits
 * `stateChange`. Refused events are logged and reported, never thrown. Inputs (buttons,
 * keyboard, companion app) reach it as InputActions; settings go out on the control lane.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { DeviceMode } from '../../pipeline/control/control-event.js';
import { VOLUME_DB_MAX, VOLUME_DB_MIN } from '../../pipeline/control/control-event.js';
import type { ControlLane } from '../../pipeline/control/control-lane.js';
import type { InputAction } from '../inputs/input-action.js';
import { type BargeInPolicy, type DeviceState, nextState, outputUtterances, type StateEvent } from './device-state.js';

export interface StateChange {
  from: DeviceState;
  to: DeviceState;
  event: StateEvent;
}

export interface ControllerEvents {
  stateChange: [StateChange];
  refused: [{ state: DeviceState; event: StateEvent; reason: string }];
  /** A short sound for the wearer. */
  earcon: [EarconName];
}

export type EarconName = 'heard' | 'englishComing' | 'notUnderstood' | 'fault' | 'restored';

export interface ControllerOptions {
  lane: ControlLane;
  logger: Logger;
  voices: readonly string[];
  voice: string;
  volumeDb: number;
  mode: DeviceMode;
  /** dB per volume press. */
  volumeStepDb?: number;
  /** What the wearer speaking over the English does (default `interrupt`). */
  bargeIn?: BargeInPolicy;
}

export class Controller extends EventEmitter<ControllerEvents> {
  private state: DeviceState = { status: 'booting' };
  private voiceIndex: number;
  private volumeDb: number;
  private mode: DeviceMode;
  private readonly volumeStepDb: number;
  private utteranceCounter = 0;
  private readonly bargeIn: BargeInPolicy;

  constructor(private readonly options: ControllerOptions) {
    super();
    this.voiceIndex = Math.max(0, options.voices.indexOf(options.voice));
    this.volumeDb = options.volumeDb;
    this.mode = options.mode;
    this.volumeStepDb = options.volumeStepDb ?? 3;
    this.bargeIn = options.bargeIn ?? 'interrupt';
    // The endpointer announces utterances on the lane; the state machine follows them.
    options.lane.subscribe((event) => {
      if (event.type === 'speechStart') {
        this.dispatch({ type: 'speechStart', utteranceId: event.utteranceId, bargeIn: this.bargeIn });
      } else if (event.type === 'speechEnd' && this.state.status === 'listening') this.dispatch({ type: 'speechEnd' });
    });
  }

  getState(): DeviceState {
    return this.state;
  }

  settings(): { voice: string; volumeDb: number; mode: DeviceMode } {
    return {
      voice: this.options.voices[this.voiceIndex] ?? this.options.voice,
      volumeDb: this.volumeDb,
      mode: this.mode,
    };
  }

  /** The one way the state changes. Returns false (and logs) when the event is refused. */
  dispatch(event: StateEvent): boolean {
    const from = this.state;
    const result = nextState(from, event);
    if (!result.ok) {
      this.options.logger.warn({ state: from.status, event: event.type }, `refused: ${result.reason}`);
      this.emit('refused', { state: from, event, reason: result.reason });
      return false;
    }
    const to = result.next;
    if (to === from) return true; // accepted, nothing changes (an earlier queued utterance finished)
    this.cleanup(from, to, event);
    this.state = to;
    this.options.logger.info({ from: from.status, to: to.status, event: event.type }, 'state change');
    this.emit('stateChange', { from, to, event });
    return true;
  }

  /** What leaving `from` for `to` must undo or start. */
  private cleanup(from: DeviceState, to: DeviceState, event: StateEvent): void {
    const lane = this.options.lane;
    // Output that this transition leaves behind is stale: interrupt it by id. English
    // that finished playing is not abandoned; English kept by a queued barge-in is not either.
    const kept = new Set(outputUtterances(to));
    if (to.status === 'speaking' || to.status === 'translating' || to.status === 'listening') kept.add(to.utteranceId);
    for (const utteranceId of outputUtterances(from)) {
      const finished = event.type === 'playbackDone' && (event.utteranceId ?? utteranceId) === utteranceId;
      if (!kept.has(utteranceId) && !finished) lane.send({ type: 'interrupt', utteranceId, reason: event.type });
    }
    if (to.status === 'muted') lane.send({ type: 'mute' });
    if (from.status === 'muted' && to.status !== 'muted') lane.send({ type: 'unmute' });
    if (to.status === 'listening' && from.status !== 'listening') this.emit('earcon', 'heard');
    if (event.type === 'translationReady') this.emit('earcon', 'englishComing');
    if (event.type === 'nothingUnderstood') this.emit('earcon', 'notUnderstood');
    if (to.status === 'fault' && from.status !== 'fault') this.emit('earcon', 'fault');
    if (from.status === 'fault' && to.status !== 'fault') this.emit('earcon', 'restored');
  }

  /** A button press, key or companion command. Settings change here; states via dispatch. */
  handleInput(action: InputAction): void {
    const status = this.state.status;
    switch (action) {
      case 'pushToTalkDown':
        this.utteranceCounter += 1;
        this.dispatch({ type: 'speechStart', utteranceId: `ptt-${this.utteranceCounter}`, bargeIn: this.bargeIn });
        return;
      case 'pushToTalkUp':
        if (status === 'listening') this.dispatch({ type: 'speechEnd' });
        return;
      case 'muteToggle':
        this.dispatch({ type: status === 'muted' ? 'unmute' : 'mute' });
        return;
      case 'volumeUp':
      case 'volumeDown': {
        const step = action === 'volumeUp' ? this.volumeStepDb : -this.volumeStepDb;
        this.volumeDb = Math.min(VOLUME_DB_MAX, Math.max(VOLUME_DB_MIN, this.volumeDb + step));
        this.options.lane.send({ type: 'setVolume', volumeDb: this.volumeDb });
        return;
      }
      case 'nextAccent': {
        this.voiceIndex = (this.voiceIndex + 1) % Math.max(1, this.options.voices.length);
        this.options.lane.send({ type: 'setVoice', voiceId: this.settings().voice });
        return;
      }
      case 'modeToggle':
        this.mode = this.mode === 'translate' ? 'monitor' : 'translate';
        this.options.lane.send({ type: 'setMode', mode: this.mode });
        return;
    }
  }
}
