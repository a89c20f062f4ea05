/**
 * Runs a block-based denoise engine under any chunk size: chunks in, same-size chunks out,
 * at a fixed total delay. The output queue is primed with the most a chunk can be short
 * of a whole block (block − gcd(chunk, block)), so it never runs dry.
 */
import { SampleFifo } from '../../dsp/sample-fifo.js';
import type { DenoiseEngine } from './denoise-engine.js';

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

export class BlockDenoiser {
  /** Delay from input to output in samples: the engine's own delay plus the priming. */
  readonly latencySamples: number;
  private readonly primeSamples: number;
  private readonly inFifo: SampleFifo;
  private readonly outFifo: SampleFifo;
  private readonly blockIn: Float32Array;
  private readonly blockOut: Float32Array;
  /** Output samples that had to be zero-filled; stays 0 unless the sizing is wrong. */
  underrunSamples = 0;

  constructor(
    readonly engine: DenoiseEngine,
    readonly chunkSamples: number,
  ) {
    const block = engine.blockSamples;
    this.primeSamples = block - greatestCommonDivisor(chunkSamples, block);
    this.latencySamples = engine.latencySamples + this.primeSamples;
    this.inFifo = new SampleFifo(chunkSamples + block);
    this.outFifo = new SampleFifo(this.primeSamples + chunkSamples + 2 * block);
    this.blockIn = new Float32Array(block);
    this.blockOut = new Float32Array(block);
    this.outFifo.pushZeros(this.primeSamples);
  }

  /** Denoise one chunk of `chunkSamples` into `output` (same length). */
  async process(input: Float32Array, output: Float32Array): Promise<void> {
    this.inFifo.push(input);
    while (this.inFifo.lengthSamples >= this.blockIn.length) {
      this.inFifo.popInto(this.blockIn);
      await this.engine.processBlock(this.blockIn, this.blockOut);
      this.outFifo.push(this.blockOut);
    }
    this.underrunSamples += output.length - this.outFifo.popInto(output);
  }

  reset(): void {
    this.engine.reset();
    this.inFifo.clear();
    this.outFifo.clear();
    this.outFifo.pushZeros(this.primeSamples);
  }
}

/**
 * Denoise a whole signal offline and return it time-aligned with the input (the engine
 * delay removed), e.g. for `collar denoise` and for SI-SDR measurements.
 */
export async function denoiseSignal(engine: DenoiseEngine, input: Float32Array): Promise<Float32Array> {
  const chunkSamples = engine.blockSamples;
  const denoiser = new BlockDenoiser(engine, chunkSamples);
  const delay = denoiser.latencySamples;
  const totalChunks = Math.ceil((input.length + delay) / chunkSamples);
  const delayed = new Float32Array(totalChunks * chunkSamples);
  const chunkIn = new Float32Array(chunkSamples);
  const chunkOut = new Float32Array(chunkSamples);
  for (let chunk = 0; chunk < totalChunks; chunk++) {
    const start = chunk * chunkSamples;
    chunkIn.fill(0);
    if (start < input.length) chunkIn.set(input.subarray(start, Math.min(start + chunkSamples, input.length)));
    await denoiser.process(chunkIn, chunkOut);
    delayed.set(chunkOut, start);
  }
  return delayed.slice(delay, delay + input.length);
}
