/**
 * Several stages in one worker, in order: each stage's frames go straight into the next
 * stage's `process`, and its speechStart / speechEnd events straight into the later
 * stages' `onControl`, before the next frame. Used for VAD → ASR: the VAD tags the frames
 * it hands on with their utterance and reports the end after the last of them, and both
 * survive only inside one thread — a ring carries samples, not tags, and the control lane
 * through the main thread gives no ordering against the audio. Every event also goes up to
 * the host as usual, so the controller still hears the endpoints.
 */
import { z } from 'zod';
import type { AudioFrame } from '../../bus/audio-frame.js';
import { type ControlEvent, ControlEventSchema } from '../../control/control-event.js';
import { BUILTIN_STAGE_MODULES, type BuiltinStageName } from '../registry.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';

export const ChainOptionsSchema = z.strictObject({
  stages: z
    .array(
      z.strictObject({
        name: z.enum(Object.keys(BUILTIN_STAGE_MODULES) as [BuiltinStageName, ...BuiltinStageName[]]),
        options: z.unknown().optional(),
      }),
    )
    .min(1),
});
export type ChainOptions = z.input<typeof ChainOptionsSchema>;

/** Endpoint events a stage reports that the stages after it follow. */
const IN_CHAIN_EVENTS = new Set(['speechStart', 'speechEnd']);

export class ChainStage implements Stage {
  readonly name: string;
  private readonly options: z.output<typeof ChainOptionsSchema>;
  private stages: Stage[] = [];

  constructor(options: ChainOptions) {
    this.options = ChainOptionsSchema.parse(options);
    this.name = this.options.stages.map((s) => s.name).join('+');
  }

  async start(ctx: StageContext): Promise<void> {
    const stages: Stage[] = [];
    for (const { name, options } of this.options.stages) {
      const module = (await import(BUILTIN_STAGE_MODULES[name])) as { createStage: StageFactory };
      stages.push(module.createStage(options));
    }
    this.stages = stages;
    for (const [index, stage] of stages.entries()) await stage.start(this.contextFor(index, ctx));
  }

  /** Stage `index` emits into stage `index + 1`; the last one emits to the worker's output. */
  private contextFor(index: number, ctx: StageContext): StageContext {
    const next = this.stages[index + 1];
    const later = this.stages.slice(index + 1);
    return {
      signal: ctx.signal,
      clock: ctx.clock,
      logger: ctx.logger.child({ chainStage: this.options.stages[index]?.name }),
      emit: next ? (frame: AudioFrame) => this.pass(next, frame) : (frame) => ctx.emit(frame),
      emitEvent: (name, data) => {
        if (IN_CHAIN_EVENTS.has(name)) {
          const event = ControlEventSchema.parse({ ...(data as object), type: name });
          for (const stage of later) stage.onControl?.(event);
        }
        ctx.emitEvent(name, data);
      },
    };
  }

  private pass(stage: Stage, frame: AudioFrame): void {
    const result = stage.process(frame);
    // Stages after the first must take frames synchronously: the frame is reused on return.
    if (result instanceof Promise) {
      throw new Error(`chain: stage "${stage.name}" processes asynchronously and cannot follow another stage`);
    }
  }

  async process(frame: AudioFrame): Promise<void> {
    await this.stages[0]?.process(frame);
  }

  async flush(): Promise<void> {
    for (const stage of this.stages) await stage.flush();
  }

  reset(): void {
    for (const stage of this.stages) stage.reset();
  }

  async close(): Promise<void> {
    for (const stage of this.stages) await stage.close();
  }

  /**
   * Control from the host goes to every stage, except endpoint events: those are the
   * chain's own, already delivered in order (the host's copy comes back from the lane).
   */
  onControl(event: ControlEvent): void {
    if (IN_CHAIN_EVENTS.has(event.type)) return;
    for (const stage of this.stages) stage.onControl?.(event);
  }
}

export const createStage: StageFactory = (options) => new ChainStage(options as ChainOptions);
