/**
 * TEST DOUBLE. A StageContext that records what a stage emits: frames (copied, since
 * stages reuse their output buffers) and events, on a virtual clock with a silent logger.
 */
import type { AudioFrame } from '../../pipeline/bus/audio-frame.js';
import { VirtualClock } from '../../pipeline/bus/clock.js';
import type { StageContext } from '../../pipeline/stages/stage.js';
import { captureLogger } from './test-logger.js';

export interface RecordingStageContext {
  ctx: StageContext;
  frames: AudioFrame[];
  events: Array<{ name: string; data: unknown }>;
}

export function recordingStageContext(): RecordingStageContext {
  const frames: AudioFrame[] = [];
  const events: Array<{ name: string; data: unknown }> = [];
  const ctx: StageContext = {
    signal: new AbortController().signal,
    clock: new VirtualClock(),
    logger: captureLogger('silent').logger,
    emit: (frame) => frames.push({ ...frame, samples: frame.samples.slice() }),
    emitEvent: (name, data) => events.push({ name, data }),
  };
  return { ctx, frames, events };
}
