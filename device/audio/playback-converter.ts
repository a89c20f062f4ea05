/**
 * Playback edge: pipeline frames (16 kHz mono int16) from the bus ring become hardware
 * chunks (interleaved int16 at the hardware rate). When the ring has no frame ready and
 * the device needs one, a frame of silence is played instead and counted as an underrun.
 */
import { PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { type ResamplerQuality, StreamResampler } from '../../pipeline/dsp/resampler.js';
import type { EarconOverlay } from '../outputs/earcon-overlay.js';
import { int16ToFloat, monoFloatToInt16Interleaved } from './sample-convert.js';

export class PlaybackConverter {
  private readonly frame: Int16Array;
  private readonly frameFloat: Float32Array;
  /** Hardware-rate mono samples waiting to be played (a FIFO compacted in place). */
  private readonly pending: Float32Array;
  private pendingLength = 0;
  underrunFrames = 0;
  /** Pipeline frames taken from the ring (not counting silence). */
  framesPlayed = 0;

  private constructor(
    private readonly resampler: StreamResampler,
    private readonly ring: RingBuffer,
    readonly channels: number,
    readonly frameLengthSamples: number,
    maxChunkFrames: number,
    private readonly overlay: EarconOverlay | undefined,
  ) {
    this.frame = new Int16Array(frameLengthSamples);
    this.frameFloat = new Float32Array(frameLengthSamples);
    const perFrame = Math.ceil((frameLengthSamples * resampler.outputRate) / PIPELINE_SAMPLE_RATE) + 64;
    this.pending = new Float32Array(maxChunkFrames + perFrame * 2);
  }

  static async create(options: {
    hardwareRate: number;
    channels: number;
    frameLengthSamples: number;
    maxChunkFrames: number;
    ring: RingBuffer;
    quality?: ResamplerQuality;
    /** Earcons mixed over the pipeline's audio (live devices). */
    overlay?: EarconOverlay;
  }): Promise<PlaybackConverter> {
    const resampler = await StreamResampler.create(
      PIPELINE_SAMPLE_RATE,
      options.hardwareRate,
      options.frameLengthSamples,
      options.quality,
    );
    return new PlaybackConverter(
      resampler,
      options.ring,
      options.channels,
      options.frameLengthSamples,
      options.maxChunkFrames,
      options.overlay,
    );
  }

  /** True once the producer closed the ring and no whole frame is left in it. */
  sourceFinished(): boolean {
    return this.ring.isClosed() && !this.ring.canPop(this.frameLengthSamples);
  }

  /** Frames that can be produced without touching the ring. */
  bufferedFrames(): number {
    return this.pendingLength;
  }

  /**
   * Takes the next pipeline frame into the FIFO. With `silenceIfEmpty`, an empty ring
   * yields a frame of silence (counted as an underrun); without it, returns false.
   */
  private refill(silenceIfEmpty: boolean): boolean {
    if (this.ring.canPop(this.frameLengthSamples)) {
      this.ring.pop(this.frame, this.frameLengthSamples);
      int16ToFloat(this.frame, this.frameFloat);
      this.framesPlayed += 1;
    } else if (silenceIfEmpty) {
      this.frameFloat.fill(0);
      this.underrunFrames += 1;
    } else {
      return false;
    }
    this.overlay?.mixInto(this.frameFloat);
    const resampled = this.resampler.process(this.frameFloat);
    this.pending.set(resampled, this.pendingLength);
    this.pendingLength += resampled.length;
    return true;
  }

  /**
   * Fills `target` (interleaved, `frames` hardware frames). Live devices pass
   * silenceIfEmpty=true; offline sinks pass false and get back how many frames were filled.
   */
  fill(target: Int16Array, frames: number, silenceIfEmpty: boolean): number {
    while (this.pendingLength < frames) {
      if (!this.refill(silenceIfEmpty)) break;
    }
    const filled = Math.min(frames, this.pendingLength);
    monoFloatToInt16Interleaved(this.pending, filled, this.channels, target);
    this.pending.copyWithin(0, filled, this.pendingLength);
    this.pendingLength -= filled;
    return filled;
  }

  /**
   * Barge-in: drop every pipeline frame queued in the ring and every converted sample
   * not yet handed to the device. Only the consumer may do this, and this is it.
   * Returns the 16 kHz samples dropped (ring plus pending, pending counted at 16 kHz).
   */
  dropQueued(): number {
    const pendingAt16k = Math.round((this.pendingLength * PIPELINE_SAMPLE_RATE) / this.resampler.outputRate);
    this.pendingLength = 0;
    return this.ring.clear() + pendingAt16k;
  }

  destroy(): void {
    this.resampler.destroy();
  }
}
