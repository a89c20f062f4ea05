/**
 * Noise suppression on the microphone path. Frames in, same-size frames out, delayed by
 * the engine's fixed latency (GTCRN: 28 ms with 20 ms frames). The engine is chosen and
 * loaded once at start; `reset` clears its streaming state.
 */
import { z } from 'zod';
import type { AudioFrame, SampleArray } from '../../bus/audio-frame.js';
import { fromFloatSamples, toFloatSamples } from '../../dsp/sample-format.js';
import { BlockDenoiser } from '../../engines/denoise/block-denoiser.js';
import { DENOISE_ENGINES } from '../../engines/denoise/denoise-engine.js';
import { loadDenoiseEngine } from '../../engines/denoise/load-denoise-engine.js';
import { openModelStore } from '../../models/index.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';

export const DenoiseOptionsSchema = z.strictObject({
  engine: z.enum(['auto', ...DENOISE_ENGINES]).default('auto'),
});
export type DenoiseOptions = z.input<typeof DenoiseOptionsSchema>;

export class DenoiseStage implements Stage {
  readonly name = 'denoise';
  private readonly options: z.output<typeof DenoiseOptionsSchema>;
  private ctx: StageContext | undefined;
  private denoiser: BlockDenoiser | undefined;
  private floatIn = new Float32Array(0);
  private floatOut = new Float32Array(0);
  private output: SampleArray | undefined;
  private outputFrame: AudioFrame | undefined;

  constructor(options: DenoiseOptions = {}) {
    this.options = DenoiseOptionsSchema.parse(options);
  }

  get latencySamples(): number {
    return this.denoiser?.latencySamples ?? 0;
  }

  get engineName(): string | undefined {
    return this.denoiser?.engine.name;
  }

  async start(ctx: StageContext): Promise<void> {
    this.ctx = ctx;
    const store = openModelStore({ logger: ctx.logger });
    const engine = await loadDenoiseEngine(this.options.engine, store, ctx.logger);
    ctx.logger.info({ engine: engine.name, latencySamples: engine.latencySamples }, 'denoise engine loaded');
    this.denoiser = new BlockDenoiser(engine, engine.blockSamples);
  }

  /** Buffers sized by the first frame; frames are fixed-size, so this happens once. */
  private prepare(frame: AudioFrame): BlockDenoiser {
    const length = frame.samples.length;
    if (!this.denoiser) throw new Error('denoise stage: process() before start()');
    if (this.denoiser.chunkSamples !== length) this.denoiser = new BlockDenoiser(this.denoiser.engine, length);
    if (this.floatIn.length !== length || this.output?.constructor !== frame.samples.constructor) {
      this.floatIn = new Float32Array(length);
      this.floatOut = new Float32Array(length);
      this.output = frame.samples instanceof Int16Array ? new Int16Array(length) : new Float32Array(length);
      this.outputFrame = { ...frame, samples: this.output };
    }
    return this.denoiser;
  }

  async process(frame: AudioFrame): Promise<void> {
    const denoiser = this.prepare(frame);
    toFloatSamples(frame.samples, this.floatIn);
    await denoiser.process(this.floatIn, this.floatOut);
    fromFloatSamples(this.floatOut, this.output as SampleArray);
    const outputFrame = this.outputFrame as AudioFrame;
    outputFrame.seq = frame.seq;
    outputFrame.ptsSamples = frame.ptsSamples;
    if (frame.utteranceId === undefined) delete outputFrame.utteranceId;
    else outputFrame.utteranceId = frame.utteranceId;
    this.ctx?.emit(outputFrame);
  }

  flush(): void {}

  reset(): void {
    this.denoiser?.reset();
  }

  async close(): Promise<void> {
    await this.denoiser?.engine.close();
  }
}

export const createStage: StageFactory = (options) => new DenoiseStage((options ?? {}) as DenoiseOptions);
