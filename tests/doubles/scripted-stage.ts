/**
 * TEST DOUBLE. A stage whose behaviour is scripted by markers in the audio, for
 * supervision tests: it echoes every frame after an optional async delay (so a kill
 * lands while it holds a frame), throws when a frame starts with CRASH_MARKER, and
 * spins forever (never answering pings) when a frame starts with HANG_MARKER.
 * A marker frame is held when the worker dies, so it is dropped and never replayed.
 */
import type { AudioFrame } from '../../pipeline/bus/audio-frame.js';
import type { Stage, StageContext, StageFactory } from '../../pipeline/stages/stage.js';

export const CRASH_MARKER = -32768;
export const HANG_MARKER = 32767;

export interface ScriptedStageOptions {
  processDelayMs?: number;
}

class ScriptedStage implements Stage {
  readonly name = 'scripted-test-double';
  private ctx: StageContext | undefined;

  constructor(private readonly options: ScriptedStageOptions) {}

  start(ctx: StageContext): void {
    this.ctx = ctx;
  }

  async process(frame: AudioFrame): Promise<void> {
    const first = frame.samples[0];
    if (first === CRASH_MARKER) throw new Error('scripted crash');
    if (first === HANG_MARKER) {
      for (;;) {
        // Busy forever: only terminate() ends this.
      }
    }
    if (this.options.processDelayMs) {
      await new Promise((resolve) => setTimeout(resolve, this.options.processDelayMs));
    }
    this.ctx?.emit(frame);
  }

  flush(): void {}
  reset(): void {}
  close(): void {}
}

export const createStage: StageFactory = (options) => new ScriptedStage((options ?? {}) as ScriptedStageOptions);
