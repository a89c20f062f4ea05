/**
 * Buttons from Linux input devices (/dev/input/event*), read as 24-byte `input_event`
 * records (64-bit: struct timeval {s64 sec, s64 usec}, u16 type, u16 code, s32 value).
 * Only EV_KEY presses and releases matter; autorepeat is ignored.
 */
import { EventEmitter } from 'node:events';
import { createReadStream, type ReadStream } from 'node:fs';
import type { InputAction, InputSource, InputSourceEvents } from './input-action.js';

export const INPUT_EVENT_BYTES = 24;
export const EV_KEY = 1;

export interface InputEventRecord {
  seconds: number;
  microseconds: number;
  type: number;
  code: number;
  value: number;
}

/** Linux key codes (input-event-codes.h) of the buttons a collar can have. */
export const KEY = {
  SPACE: 57,
  A: 30,
  M: 50,
  T: 20,
  MUTE: 113,
  VOLUMEDOWN: 114,
  VOLUMEUP: 115,
  MODE: 0x175,
  BTN_0: 0x100,
  BTN_1: 0x101,
} as const;

/** Hold-to-talk keys map to down/up; the others act on press only. */
export const DEFAULT_KEY_MAP: Record<number, InputAction | 'pushToTalk'> = {
  [KEY.SPACE]: 'pushToTalk',
  [KEY.BTN_0]: 'pushToTalk',
  [KEY.MUTE]: 'muteToggle',
  [KEY.M]: 'muteToggle',
  [KEY.VOLUMEUP]: 'volumeUp',
  [KEY.VOLUMEDOWN]: 'volumeDown',
  [KEY.A]: 'nextAccent',
  [KEY.BTN_1]: 'nextAccent',
  [KEY.MODE]: 'modeToggle',
  [KEY.T]: 'modeToggle',
};

export function parseInputEvent(bytes: Buffer, offset = 0): InputEventRecord {
  if (bytes.length - offset < INPUT_EVENT_BYTES) {
    throw new RangeError(`input_event needs ${INPUT_EVENT_BYTES} bytes, got ${bytes.length - offset}`);
  }
  return {
    seconds: Number(bytes.readBigInt64LE(offset)),
    microseconds: Number(bytes.readBigInt64LE(offset + 8)),
    type: bytes.readUInt16LE(offset + 16),
    code: bytes.readUInt16LE(offset + 18),
    value: bytes.readInt32LE(offset + 20),
  };
}

export function actionForEvent(
  event: InputEventRecord,
  keyMap: Record<number, InputAction | 'pushToTalk'> = DEFAULT_KEY_MAP,
): InputAction | undefined {
  if (event.type !== EV_KEY || event.value === 2) return undefined;
  const mapped = keyMap[event.code];
  if (!mapped) return undefined;
  if (mapped === 'pushToTalk') return event.value === 1 ? 'pushToTalkDown' : 'pushToTalkUp';
  return event.value === 1 ? mapped : undefined;
}

/** Splits a byte stream into whole records, keeping a partial record for the next chunk. */
export class InputEventDecoder {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): InputEventRecord[] {
    const bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const records: InputEventRecord[] = [];
    let offset = 0;
    for (; offset + INPUT_EVENT_BYTES <= bytes.length; offset += INPUT_EVENT_BYTES) {
      records.push(parseInputEvent(bytes, offset));
    }
    this.pending = Buffer.from(bytes.subarray(offset));
    return records;
  }
}

export class EvdevInput extends EventEmitter<InputSourceEvents> implements InputSource {
  readonly description: string;
  private stream: ReadStream | undefined;

  constructor(
    private readonly path: string,
    private readonly keyMap = DEFAULT_KEY_MAP,
  ) {
    super();
    this.description = `Linux input device ${path}`;
  }

  start(): void {
    const decoder = new InputEventDecoder();
    const stream = createReadStream(this.path);
    this.stream = stream;
    stream.on('data', (chunk) => {
      for (const record of decoder.push(chunk as Buffer)) {
        const action = actionForEvent(record, this.keyMap);
        if (action) this.emit('action', action);
      }
    });
    stream.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EACCES' ? ' (add the user to the "input" group)' : '';
      this.emit('error', new Error(`${this.path}: ${error.code ?? error.message}${hint}`));
    });
  }

  stop(): void {
    this.stream?.destroy();
    this.stream = undefined;
  }
}
