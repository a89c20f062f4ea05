/**
 * The frame loop a hosted stage runs on: pop one fixed-size frame from the input ring,
 * let the stage process it, copy what it emits into the output ring. Between frames the
 * loop lets pending control messages in first (the control lane never waits behind
 * audio), and it waits for room downstream before taking the next frame so that a slow
 * consumer pushes back to the ring edge instead of losing audio in the middle.
 */
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AudioFrame, SampleArray } from '../bus/audio-frame.js';
import type { RingBuffer } from '../bus/ring-buffer.js';
import type { ControlEvent } from '../control/control-event.js';
import type { Stage } from '../stages/stage.js';
import { WorkerStat } from './worker-stats.js';

/** Longest the loop runs frames back to back before it lets messages (pings) in. */
const YIELD_EVERY_MS = 5;
/** Longest the loop holds audio back for a control message that has been posted. */
const CONTROL_WAIT_MS = 20;
const IDLE_WAIT_MS = 50;

export interface StageLoopOptions {
  stage: Stage;
  input: RingBuffer;
  output: RingBuffer | undefined;
  frameLengthSamples: number;
  sampleRate: number;
  /** Stream position of the first frame (non-zero after a restart). */
  startPtsSamples: number;
  stats: Int32Array;
  signal: AbortSignal;
  onFlushed(reason: 'interrupt' | 'flush' | 'end-of-stream', clearedSamples: number): void;
  /** Applies a run-time configuration between frames (errors are reported, not thrown). */
  onConfig(config: unknown): void;
}

export class StageLoop {
  private readonly frame: AudioFrame;
  private readonly buffer: SampleArray;
  private endOfStreamReported = false;
  /** Control events and configs received but not applied yet; applied before the next frame, in order. */
  private readonly controlQueue: Array<ControlEvent | { type: 'config'; config: unknown }> = [];
  private wakeIdleWait: (() => void) | undefined;

  constructor(private readonly options: StageLoopOptions) {
    const { input, frameLengthSamples, sampleRate, startPtsSamples } = options;
    this.buffer = input.kind === 'int16' ? new Int16Array(frameLengthSamples) : new Float32Array(frameLengthSamples);
    this.frame = {
      samples: this.buffer,
      sampleRate,
      channels: 1,
      seq: Math.floor(startPtsSamples / frameLengthSamples),
      ptsSamples: startPtsSamples,
    };
  }

  /** ctx.emit for the hosted stage. */
  emit(frame: AudioFrame): void {
    const { output, stats } = this.options;
    Atomics.add(stats, WorkerStat.FRAMES_OUT, 1);
    if (!output) return;
    const written = output.push(frame.samples);
    if (written < frame.samples.length) {
      Atomics.add(stats, WorkerStat.OUTPUT_OVERRUN_SAMPLES, frame.samples.length - written);
    }
  }

  /** Called from the message handler: the event is applied before the next frame. */
  enqueueControl(event: ControlEvent | { type: 'config'; config: unknown }): void {
    this.controlQueue.push(event);
    this.wakeIdleWait?.();
  }

  /** Sleep until `waitFor` settles or a control event arrives, whichever is first. */
  private async idle(waitFor: Promise<unknown>): Promise<void> {
    const controlArrived = new Promise<void>((resolve) => {
      this.wakeIdleWait = resolve;
    });
    await Promise.race([waitFor, controlArrived]);
    this.wakeIdleWait = undefined;
  }

  private async applyControl(event: ControlEvent | { type: 'config'; config: unknown }): Promise<void> {
    const { stage, input } = this.options;
    if (event.type === 'config') {
      this.options.onConfig(event.config);
      return;
    }
    if (event.type === 'interrupt') {
      const clearedSamples = input.clear();
      // Cleared audio still passed in stream time: keep pts on the stream's clock.
      this.frame.ptsSamples = input.consumedSamples();
      this.frame.seq = Math.floor(this.frame.ptsSamples / this.options.frameLengthSamples);
      stage.reset();
      stage.onControl?.(event);
      this.options.onFlushed('interrupt', clearedSamples);
      return;
    }
    if (event.type === 'flush') {
      stage.onControl?.(event);
      await stage.flush();
      this.options.onFlushed('flush', 0);
      return;
    }
    stage.onControl?.(event);
  }

  private controlPending(): boolean {
    const { stats } = this.options;
    return Atomics.load(stats, WorkerStat.MESSAGES_SENT) !== Atomics.load(stats, WorkerStat.MESSAGES_RECEIVED);
  }

  async run(): Promise<void> {
    const { stage, input, output, frameLengthSamples, stats, signal } = this.options;
    const frame = this.frame;
    let lastYieldMs = performance.now();
    let controlWaitStartMs = -1;
    while (!signal.aborted) {
      const event = this.controlQueue.shift();
      if (event) {
        await this.applyControl(event);
        continue;
      }
      if (this.controlPending()) {
        const nowMs = performance.now();
        if (controlWaitStartMs < 0) controlWaitStartMs = nowMs;
        if (nowMs - controlWaitStartMs < CONTROL_WAIT_MS) {
          await yieldToEventLoop();
          lastYieldMs = performance.now();
          continue;
        }
      }
      controlWaitStartMs = -1;

      if (input.canPop(frameLengthSamples)) {
        if (output && !output.canPush(frameLengthSamples)) {
          await this.idle(output.waitForSpaceAsync(frameLengthSamples, IDLE_WAIT_MS));
          lastYieldMs = performance.now();
          continue;
        }
        input.pop(this.buffer, frameLengthSamples);
        Atomics.add(stats, WorkerStat.FRAMES_IN, 1);
        Atomics.add(stats, WorkerStat.HELD_FRAMES, 1);
        const pending = stage.process(frame);
        if (pending) await pending;
        Atomics.sub(stats, WorkerStat.HELD_FRAMES, 1);
        frame.seq += 1;
        frame.ptsSamples += frameLengthSamples;
        if (performance.now() - lastYieldMs > YIELD_EVERY_MS) {
          await yieldToEventLoop();
          lastYieldMs = performance.now();
        }
        continue;
      }

      if (input.isClosed() && input.availableRead() < frameLengthSamples) {
        if (!this.endOfStreamReported) {
          // A partial last frame is dropped here; the edges pad streams to whole frames.
          this.endOfStreamReported = true;
          await stage.flush();
          output?.close();
          this.options.onFlushed('end-of-stream', 0);
        }
        await this.idle(sleep(IDLE_WAIT_MS, undefined, { signal }).catch(() => undefined));
        lastYieldMs = performance.now();
        continue;
      }
      await this.idle(input.waitForDataAsync(frameLengthSamples, IDLE_WAIT_MS));
      lastYieldMs = performance.now();
    }
  }
}
