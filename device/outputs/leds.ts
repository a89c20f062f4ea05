/**
 * What the wearer and the child see: one colour per state. Drivers: Linux sysfs LEDs
 * (/sys/class/leds/<name>/brightness, scaled by max_brightness) or a simulated strip
 * drawn in the terminal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceStatus } from '../controller/device-state.js';

export interface Rgb {
  red: number;
  green: number;
  blue: number;
}

/** Colour per state, channels 0..1. */
export const STATE_COLOURS: Record<DeviceStatus, Rgb> = {
  booting: { red: 0.2, green: 0.2, blue: 0.2 },
  calibrating: { red: 0.5, green: 0, blue: 0.5 },
  idle: { red: 0, green: 0.15, blue: 0 },
  listening: { red: 0, green: 0, blue: 1 },
  translating: { red: 0, green: 0.6, blue: 1 },
  speaking: { red: 0, green: 1, blue: 0 },
  muted: { red: 1, green: 0.5, blue: 0 },
  fault: { red: 1, green: 0, blue: 0 },
};

export interface LedDriver {
  readonly description: string;
  show(status: DeviceStatus): void;
}

export interface SysfsLedNames {
  red: string;
  green: string;
  blue: string;
}

export class SysfsLeds implements LedDriver {
  readonly description: string;
  private readonly maxBrightness: Record<keyof Rgb, number>;

  /** `root` is /sys/class/leds on a device; tests pass a temporary folder laid out the same way. */
  constructor(
    private readonly names: SysfsLedNames,
    private readonly root = '/sys/class/leds',
  ) {
    this.description = `sysfs LEDs in ${root} (${names.red}, ${names.green}, ${names.blue})`;
    this.maxBrightness = {
      red: this.readMax(names.red),
      green: this.readMax(names.green),
      blue: this.readMax(names.blue),
    };
  }

  private readMax(name: string): number {
    const path = join(this.root, name, 'max_brightness');
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(
        `LED "${name}": cannot read ${path} (${(error as NodeJS.ErrnoException).code}); is the LED name right?`,
      );
    }
    const value = Number.parseInt(text.trim(), 10);
    if (!(value > 0)) throw new Error(`LED "${name}": ${path} holds "${text.trim()}", expected a positive integer`);
    return value;
  }

  show(status: DeviceStatus): void {
    const colour = STATE_COLOURS[status];
    for (const channel of ['red', 'green', 'blue'] as const) {
      const brightness = Math.round(colour[channel] * this.maxBrightness[channel]);
      writeFileSync(join(this.root, this.names[channel], 'brightness'), `${brightness}\n`);
    }
  }
}

/** A simulated LED strip: one coloured line on a terminal (24-bit ANSI colour). */
export class TerminalLedStrip implements LedDriver {
  readonly description = 'simulated LED strip in the terminal';
  constructor(private readonly output: NodeJS.WritableStream = process.stderr) {}

  static render(status: DeviceStatus): string {
    const { red, green, blue } = STATE_COLOURS[status];
    const to255 = (v: number): number => Math.round(v * 255);
    return `\u001b[38;2;${to255(red)};${to255(green)};${to255(blue)}m●●●●●\u001b[0m ${status}`;
  }

  show(status: DeviceStatus): void {
    this.output.write(`\r\u001b[2K${TerminalLedStrip.render(status)}\n`);
  }
}
