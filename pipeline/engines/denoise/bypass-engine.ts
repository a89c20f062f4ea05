/** No suppression: output is the input, with no delay. For A/B listening and device tests. */
import type { DenoiseEngine } from './denoise-engine.js';

export class BypassEngine implements DenoiseEngine {
  readonly name = 'bypass';
  readonly latencySamples = 0;
  constructor(readonly blockSamples = 160) {}

  processBlock(input: Float32Array, output: Float32Array): void {
    output.set(input);
  }

  reset(): void {}

  async close(): Promise<void> {}
}
