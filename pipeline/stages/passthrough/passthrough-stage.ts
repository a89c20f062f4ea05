/** Hands every frame on unchanged: the monitor mode, and the simplest stage to host. */
import type { AudioFrame } from '../../bus/audio-frame.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';

export class PassthroughStage implements Stage {
  readonly name = 'passthrough';
  private ctx: StageContext | undefined;

  start(ctx: StageContext): void {
    this.ctx = ctx;
  }

  process(frame: AudioFrame): void {
    this.ctx?.emit(frame);
  }

  flush(): void {}
  reset(): void {}
  close(): void {}
}

export const createStage: StageFactory = () => new PassthroughStage();
