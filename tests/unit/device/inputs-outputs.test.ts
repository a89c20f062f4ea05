import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  actionForEvent,
  EV_KEY,
  EvdevInput,
  InputEventDecoder,
  KEY,
  parseInputEvent,
} from '../../../device/inputs/evdev.js';
import type { InputAction } from '../../../device/inputs/input-action.js';
import { KeyboardInput, keyToAction } from '../../../device/inputs/keyboard.js';
import { earconNotes, renderEarcon } from '../../../device/outputs/earcons.js';
import { STATE_COLOURS, SysfsLeds, TerminalLedStrip } from '../../../device/outputs/leds.js';
import { rms, zeroCrossingFrequency } from '../../doubles/wav-bytes.js';

/** One 24-byte struct input_event, laid out by hand (x86-64). */
function record(type: number, code: number, value: number, seconds = 1_700_000_000, micros = 250_000): Buffer {
  const bytes = Buffer.alloc(24);
  bytes.writeBigInt64LE(BigInt(seconds), 0);
  bytes.writeBigInt64LE(BigInt(micros), 8);
  bytes.writeUInt16LE(type, 16);
  bytes.writeUInt16LE(code, 18);
  bytes.writeInt32LE(value, 20);
  return bytes;
}

describe('evdev input', () => {
  it('parses a 24-byte input_event record', () => {
    expect(parseInputEvent(record(EV_KEY, KEY.VOLUMEUP, 1))).toEqual({
      seconds: 1_700_000_000,
      microseconds: 250_000,
      type: EV_KEY,
      code: KEY.VOLUMEUP,
      value: 1,
    });
    expect(() => parseInputEvent(Buffer.alloc(20))).toThrow(/needs 24 bytes, got 20/);
  });

  it('maps presses and releases to actions; ignores autorepeat, sync and unknown keys', () => {
    expect(actionForEvent(parseInputEvent(record(EV_KEY, KEY.SPACE, 1)))).toBe('pushToTalkDown');
    expect(actionForEvent(parseInputEvent(record(EV_KEY, KEY.SPACE, 0)))).toBe('pushToTalkUp');
    expect(actionForEvent(parseInputEvent(record(EV_KEY, KEY.SPACE, 2)))).toBeUndefined();
    expect(actionForEvent(parseInputEvent(record(EV_KEY, KEY.MUTE, 1)))).toBe('muteToggle');
    expect(actionForEvent(parseInputEvent(record(EV_KEY, KEY.MUTE, 0)))).toBeUndefined();
    expect(actionForEvent(parseInputEvent(record(0, 0, 0)))).toBeUndefined();
    expect(actionForEvent(parseInputEvent(record(EV_KEY, 999, 1)))).toBeUndefined();
  });

  it('decodes records split across reads', () => {
    const stream = Buffer.concat([
      record(EV_KEY, KEY.A, 1),
      record(EV_KEY, KEY.A, 0),
      record(EV_KEY, KEY.VOLUMEDOWN, 1),
    ]);
    const decoder = new InputEventDecoder();
    const first = decoder.push(stream.subarray(0, 30));
    const second = decoder.push(stream.subarray(30, 50));
    const third = decoder.push(stream.subarray(50));
    expect([first.length, second.length, third.length]).toEqual([1, 1, 1]);
    expect(third[0]?.code).toBe(KEY.VOLUMEDOWN);
  });

  it('reads actions from an event file and reports a missing device', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collar-evdev-'));
    const path = join(dir, 'event0');
    writeFileSync(path, Buffer.concat([record(EV_KEY, KEY.BTN_0, 1), record(0, 0, 0), record(EV_KEY, KEY.BTN_0, 0)]));
    const input = new EvdevInput(path);
    const actions: InputAction[] = [];
    input.on('action', (a) => actions.push(a));
    input.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    input.stop();
    expect(actions).toEqual(['pushToTalkDown', 'pushToTalkUp']);

    const missing = new EvdevInput(join(dir, 'event9'));
    const error = new Promise<Error>((resolve) => missing.on('error', resolve));
    missing.start();
    expect((await error).message).toMatch(/event9: ENOENT/);
  });
});

describe('keyboard input', () => {
  it('space toggles push-to-talk; other keys map to actions; q quits', () => {
    expect(keyToAction(' ', false)).toBe('pushToTalkDown');
    expect(keyToAction(' ', true)).toBe('pushToTalkUp');
    expect(['m', 'a', '+', '-', 't', 'q', 'x'].map((k) => keyToAction(k, false))).toEqual([
      'muteToggle',
      'nextAccent',
      'volumeUp',
      'volumeDown',
      'modeToggle',
      'quit',
      undefined,
    ]);
    const keyboard = new KeyboardInput();
    const seen: InputAction[] = [];
    keyboard.on('action', (a) => seen.push(a));
    for (const key of '  m ') keyboard.press(key);
    expect(seen).toEqual(['pushToTalkDown', 'pushToTalkUp', 'muteToggle', 'pushToTalkDown']);
  });
});

describe('LEDs', () => {
  function fakeSysfs(): string {
    const root = mkdtempSync(join(tmpdir(), 'collar-leds-'));
    for (const [name, max] of [
      ['collar:red', 255],
      ['collar:green', 255],
      ['collar:blue', 1],
    ] as const) {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, 'max_brightness'), `${max}\n`);
      writeFileSync(join(root, name, 'brightness'), '0\n');
    }
    return root;
  }

  it('writes each state’s colour to sysfs brightness files, scaled by max_brightness', () => {
    const root = fakeSysfs();
    const leds = new SysfsLeds({ red: 'collar:red', green: 'collar:green', blue: 'collar:blue' }, root);
    const read = (name: string): string => readFileSync(join(root, name, 'brightness'), 'utf8').trim();
    leds.show('fault');
    expect([read('collar:red'), read('collar:green'), read('collar:blue')]).toEqual(['255', '0', '0']);
    leds.show('listening');
    expect([read('collar:red'), read('collar:green'), read('collar:blue')]).toEqual(['0', '0', '1']);
    leds.show('muted');
    expect(read('collar:green')).toBe(String(Math.round(STATE_COLOURS.muted.green * 255)));
  });

  it('names a missing LED', () => {
    expect(() => new SysfsLeds({ red: 'nope', green: 'x', blue: 'y' }, fakeSysfs())).toThrow(
      /LED "nope": cannot read .*max_brightness \(ENOENT\)/,
    );
  });

  it('draws the simulated strip with the state’s colour and name', () => {
    expect(TerminalLedStrip.render('fault')).toBe('\u001b[38;2;255;0;0m●●●●●\u001b[0m fault');
  });
});

describe('earcons', () => {
  it.each(['heard', 'englishComing', 'notUnderstood', 'fault', 'restored'] as const)(
    '%s is short, audible, quiet, and at its pitch',
    (name) => {
      const samples = renderEarcon(name, -18);
      const durationMs = (samples.length / 16_000) * 1000;
      expect(durationMs).toBeGreaterThan(100);
      expect(durationMs).toBeLessThan(300);
      const peak = samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeLessThanOrEqual(Math.round(32767 * 10 ** (-18 / 20)));
      expect(rms(samples)).toBeGreaterThan(500);
      // Edges fade in and out (no click): first and last samples are near zero.
      expect(Math.abs(samples[0] as number)).toBeLessThan(50);
      expect(Math.abs(samples[samples.length - 1] as number)).toBeLessThan(300);
      const first = earconNotes(name)[0];
      if (first && first.frequencyHz > 0) {
        const length = Math.round((first.durationMs * 16_000) / 1000);
        expect(zeroCrossingFrequency(samples.subarray(0, length), 16_000)).toBeCloseTo(first.frequencyHz, -2);
      }
    },
  );

  it('heard rises and notUnderstood falls', () => {
    const [a, b] = earconNotes('heard');
    const [c, d] = earconNotes('notUnderstood');
    expect((b?.frequencyHz ?? 0) > (a?.frequencyHz ?? 0)).toBe(true);
    expect((d?.frequencyHz ?? 0) < (c?.frequencyHz ?? 0)).toBe(true);
  });
});
