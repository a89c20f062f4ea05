/**
 * Streaming sample-rate conversion between the hardware rate and the pipeline's 16 kHz,
 * through libsamplerate (compiled to wasm, @alexanderolsen/libsamplerate-js). The
 * converter keeps its filter state between chunks, so a stream of chunks resamples as
 * one signal. Output goes into a buffer allocated once for the largest chunk.
 */
import libsamplerate from '@alexanderolsen/libsamplerate-js';

// A CommonJS package: its exports come through the default import.
const { ConverterType, create } = libsamplerate;

export type ResamplerQuality = 'best' | 'medium' | 'fastest';

const CONVERTERS = {
  best: ConverterType.SRC_SINC_BEST_QUALITY,
  medium: ConverterType.SRC_SINC_MEDIUM_QUALITY,
  fastest: ConverterType.SRC_SINC_FASTEST,
} as const;

type Converter = Awaited<ReturnType<typeof create>>;

export class StreamResampler {
  private readonly output: Float32Array;
  private readonly written = { frames: 0 };

  private constructor(
    private readonly converter: Converter | undefined,
    readonly inputRate: number,
    readonly outputRate: number,
    readonly maxInputFrames: number,
  ) {
    // libsamplerate may emit a little more than the ratio for one call; leave headroom.
    this.output = new Float32Array(Math.ceil((maxInputFrames * outputRate) / inputRate) + 64);
  }

  /** Mono converter from `inputRate` to `outputRate` for chunks of at most `maxInputFrames`. */
  static async create(
    inputRate: number,
    outputRate: number,
    maxInputFrames: number,
    quality: ResamplerQuality = 'medium',
  ): Promise<StreamResampler> {
    for (const [name, rate] of [
      ['input', inputRate],
      ['output', outputRate],
    ] as const) {
      if (!Number.isInteger(rate) || rate < 1_000 || rate > 192_000) {
        throw new RangeError(`resampler: ${name} rate must be an integer between 1000 and 192000 Hz, got ${rate}`);
      }
    }
    const converter =
      inputRate === outputRate
        ? undefined
        : await create(1, inputRate, outputRate, { converterType: CONVERTERS[quality] });
    return new StreamResampler(converter, inputRate, outputRate, maxInputFrames);
  }

  /** Resample one chunk; the returned view is valid until the next call. */
  process(input: Float32Array): Float32Array {
    if (input.length > this.maxInputFrames) {
      throw new RangeError(`resampler: chunk of ${input.length} frames exceeds maxInputFrames ${this.maxInputFrames}`);
    }
    if (!this.converter) return input;
    this.converter.full(input, this.output, this.written);
    return this.output.subarray(0, this.written.frames);
  }

  destroy(): void {
    this.converter?.destroy();
  }
}
