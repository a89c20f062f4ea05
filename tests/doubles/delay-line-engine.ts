/** TEST DOUBLE. A denoise engine that only delays its input by a declared number of samples. */
import type { DenoiseEngine } from '../../pipeline/engines/denoise/denoise-engine.js';

export class DelayLineEngineDouble implements DenoiseEngine {
  readonly name = 'bypass' as const;
  private readonly line: Float32Array;

  constructor(
    readonly blockSamples: number,
    readonly latencySamples: number,
  ) {
    this.line = new Float32Array(latencySamples + blockSamples);
  }

  processBlock(input: Float32Array, output: Float32Array): void {
    this.line.set(input, this.latencySamples);
    output.set(this.line.subarray(0, this.blockSamples));
    this.line.copyWithin(0, this.blockSamples);
  }

  reset(): void {
    this.line.fill(0);
  }

  async close(): Promise<void> {}
}
