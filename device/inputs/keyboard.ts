/**
 * Keys in a terminal. A terminal reports no key releases, so the space bar toggles
 * push-to-talk (first press starts, second press stops).
 */
import { EventEmitter } from 'node:events';
import type { InputAction, InputSource, InputSourceEvents } from './input-action.js';

export const KEYBOARD_HELP =
  'space: talk (press again to stop) · m: mute · a: next accent · + / -: volume · t: translate/monitor · q: quit';

/** The action for one key press; `talking` says whether push-to-talk is currently held. */
export function keyToAction(key: string, talking: boolean): InputAction | 'quit' | undefined {
  switch (key) {
    case ' ':
      return talking ? 'pushToTalkUp' : 'pushToTalkDown';
    case 'm':
      return 'muteToggle';
    case 'a':
      return 'nextAccent';
    case '+':
    case '=':
      return 'volumeUp';
    case '-':
      return 'volumeDown';
    case 't':
      return 'modeToggle';
    case 'q':
    case '\u0003': // Ctrl-C in raw mode
      return 'quit';
    default:
      return undefined;
  }
}

export class KeyboardInput extends EventEmitter<InputSourceEvents> implements InputSource {
  readonly description = 'terminal keyboard';
  private talking = false;
  private readonly onData = (chunk: Buffer): void => {
    for (const key of chunk.toString('utf8')) this.press(key);
  };

  constructor(private readonly input: NodeJS.ReadStream = process.stdin) {
    super();
  }

  press(key: string): void {
    const action = keyToAction(key, this.talking);
    if (action === undefined) return;
    if (action === 'quit') {
      this.emit('quit');
      return;
    }
    if (action === 'pushToTalkDown') this.talking = true;
    if (action === 'pushToTalkUp') this.talking = false;
    this.emit('action', action);
  }

  start(): void {
    if (!this.input.isTTY) {
      this.emit('error', new Error('keyboard input needs a terminal (standard input is not a TTY)'));
      return;
    }
    this.input.setRawMode(true);
    this.input.resume();
    this.input.on('data', this.onData);
  }

  stop(): void {
    this.input.off('data', this.onData);
    if (this.input.isTTY) this.input.setRawMode(false);
    this.input.pause();
  }
}
