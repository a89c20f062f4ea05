/**
 * Capture edge: hardware chunks (interleaved int16 at the hardware rate) become 16 kHz
 * mono int16 in the bus ring. Scratch buffers are sized once for the largest chunk, so
 * the audio callback only converts and copies.
 */
import { PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { type ResamplerQuality, StreamResampler } from '../../pipeline/dsp/resampler.js';
import { floatToInt16, int16InterleavedToMonoFloat } from './sample-convert.js';

export class CaptureConverter {
  private readonly mono: Float32Array;
  private readonly pipelineSamples: Int16Array;
  /** Samples the ring accepted (16 kHz); samples refused are counted by the ring as overrun. */
  deliveredSamples = 0;

  private constructor(
    private readonly resampler: StreamResampler,
    private readonly channels: number,
    private readonly ring: RingBuffer,
    maxChunkFrames: number,
  ) {
    this.mono = new Float32Array(maxChunkFrames);
    this.pipelineSamples = new Int16Array(
      Math.ceil((maxChunkFrames * PIPELINE_SAMPLE_RATE) / resampler.inputRate) + 64,
    );
  }

  static async create(options: {
    hardwareRate: number;
    channels: number;
    maxChunkFrames: number;
    ring: RingBuffer;
    quality?: ResamplerQuality;
  }): Promise<CaptureConverter> {
    const resampler = await StreamResampler.create(
      options.hardwareRate,
      PIPELINE_SAMPLE_RATE,
      options.maxChunkFrames,
      options.quality,
    );
    return new CaptureConverter(resampler, options.channels, options.ring, options.maxChunkFrames);
  }

  /** One hardware chunk in; returns the samples the ring accepted (the rest count as overrun). */
  accept(chunk: Int16Array): number {
    const frames = int16InterleavedToMonoFloat(chunk, this.channels, this.mono);
    const resampled = this.resampler.process(this.mono.subarray(0, frames));
    floatToInt16(resampled, this.pipelineSamples, resampled.length);
    const accepted = this.ring.push(this.pipelineSamples, resampled.length);
    this.deliveredSamples += accepted;
    return accepted;
  }

  destroy(): void {
    this.resampler.destroy();
  }
}
