/**
 * What a wearer (or the companion app) can ask for. Every input source — keyboard,
 * Linux input events, the companion link — produces these and nothing else.
 */
import type { EventEmitter } from 'node:events';

export const INPUT_ACTIONS = [
  'pushToTalkDown',
  'pushToTalkUp',
  'modeToggle',
  'nextAccent',
  'volumeUp',
  'volumeDown',
  'muteToggle',
] as const;

export type InputAction = (typeof INPUT_ACTIONS)[number];

export interface InputSourceEvents {
  action: [InputAction];
  error: [Error];
  /** The user asked to quit (keyboard only). */
  quit: [];
}

export interface InputSource extends EventEmitter<InputSourceEvents> {
  readonly description: string;
  start(): void;
  stop(): void;
}
