/**
 * Output level: applies `setVolume` (dB) and `mute`/`unmute` to the frames it passes.
 * Gain changes ramp over one frame so a volume press does not click.
 */
import { z } from 'zod';
import type { AudioFrame, SampleArray } from '../../bus/audio-frame.js';
import type { ControlEvent } from '../../control/control-event.js';
import { VOLUME_DB_MAX, VOLUME_DB_MIN } from '../../control/control-event.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';

export const GainOptionsSchema = z.strictObject({
  volumeDb: z.number().min(VOLUME_DB_MIN).max(VOLUME_DB_MAX).default(0),
  muted: z.boolean().default(false),
});
export type GainOptions = z.input<typeof GainOptionsSchema>;

export function dbToLinear(gainDb: number): number {
  return 10 ** (gainDb / 20);
}

export class GainStage implements Stage {
  readonly name = 'gain';
  private ctx: StageContext | undefined;
  private volumeDb: number;
  private muted: boolean;
  private currentGain: number;
  /** Output buffer and frame, allocated on the first frame and reused after that. */
  private output: SampleArray | undefined;
  private outputFrame: AudioFrame | undefined;

  constructor(options: GainOptions = {}) {
    const parsed = GainOptionsSchema.parse(options);
    this.volumeDb = parsed.volumeDb;
    this.muted = parsed.muted;
    this.currentGain = this.targetGain();
  }

  private targetGain(): number {
    return this.muted ? 0 : dbToLinear(this.volumeDb);
  }

  start(ctx: StageContext): void {
    this.ctx = ctx;
  }

  private prepareOutput(frame: AudioFrame): void {
    const input = frame.samples;
    let output = this.output;
    if (!output || output.length !== input.length || output.constructor !== input.constructor) {
      output = input instanceof Int16Array ? new Int16Array(input.length) : new Float32Array(input.length);
      this.output = output;
      this.outputFrame = { ...frame, samples: output };
    }
    const outputFrame = this.outputFrame as AudioFrame;
    outputFrame.seq = frame.seq;
    outputFrame.ptsSamples = frame.ptsSamples;
    outputFrame.sampleRate = frame.sampleRate;
    outputFrame.channels = frame.channels;
    if (frame.utteranceId === undefined) delete outputFrame.utteranceId;
    else outputFrame.utteranceId = frame.utteranceId;
  }

  process(frame: AudioFrame): void {
    const input = frame.samples;
    const length = input.length;
    this.prepareOutput(frame);
    const output = this.output as SampleArray;
    const outputFrame = this.outputFrame as AudioFrame;
    const isInt16 = input instanceof Int16Array;
    const target = this.targetGain();
    const start = this.currentGain;
    const step = (target - start) / length;
    for (let i = 0; i < length; i++) {
      const value = (input[i] as number) * (start + step * (i + 1));
      output[i] = isInt16 ? (value > 32767 ? 32767 : value < -32768 ? -32768 : Math.round(value)) : value;
    }
    this.currentGain = target;
    this.ctx?.emit(outputFrame);
  }

  onControl(event: ControlEvent): void {
    if (event.type === 'setVolume') this.volumeDb = event.volumeDb;
    else if (event.type === 'mute') this.muted = true;
    else if (event.type === 'unmute') this.muted = false;
  }

  configure(options: unknown): void {
    const parsed = GainOptionsSchema.partial().parse(options);
    if (parsed.volumeDb !== undefined) this.volumeDb = parsed.volumeDb;
    if (parsed.muted !== undefined) this.muted = parsed.muted;
  }

  flush(): void {}
  reset(): void {
    this.currentGain = this.targetGain();
  }
  close(): void {}
}

export const createStage: StageFactory = (options) => new GainStage((options ?? {}) as GainOptions);
