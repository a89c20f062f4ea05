/**
 * The contract every pipeline stage implements, whether it runs in the main thread or
 * in a worker. A stage never sees rings or threads: it gets frames in `process`, hands
 * frames on through `ctx.emit`, and hears control events through `onControl`.
 */
import type { Logger } from 'pino';
import type { AudioFrame } from '../bus/audio-frame.js';
import type { Clock } from '../bus/clock.js';
import type { ControlEvent } from '../control/control-event.js';

export interface StageContext {
  /** Aborted when the stage is being shut down; long work should stop early. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** A child logger with the stage's name bound. Never log per frame. */
  readonly logger: Logger;
  /**
   * Hand a frame downstream. The samples are copied out before emit returns, so the
   * stage may reuse its output buffer for the next frame.
   */
  emit(frame: AudioFrame): void;
  /** Report a non-audio event (speechStart, a partial transcript, a metric). */
  emitEvent(name: string, data?: unknown): void;
}

export interface Stage {
  readonly name: string;
  /** Load models, allocate buffers. Called once before the first frame. */
  start(ctx: StageContext): void | Promise<void>;
  /** One fixed-size frame in. The frame's sample array is reused after this returns. */
  process(frame: AudioFrame): void | Promise<void>;
  /** Emit whatever is held (end of utterance or stream). */
  flush(): void | Promise<void>;
  /** Drop internal state without emitting (interrupt). */
  reset(): void;
  /** Release resources. */
  close(): void | Promise<void>;
  /** Apply a control event. Called between frames, never during `process`. */
  onControl?(event: ControlEvent): void;
  /** Apply a new stage-specific configuration at run time. */
  configure?(options: unknown): void;
}

/** Stage modules export a factory under a known name, so a worker can build the stage. */
export type StageFactory = (options: unknown) => Stage;
