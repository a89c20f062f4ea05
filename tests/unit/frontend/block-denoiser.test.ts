/** Re-chunking a block engine under any frame size, at a fixed, declared delay. */
import { describe, expect, it } from 'vitest';
import { BlockDenoiser, denoiseSignal } from '../../../pipeline/engines/denoise/block-denoiser.js';
import { DelayLineEngineDouble } from '../../doubles/delay-line-engine.js';

const ramp = (length: number) => Float32Array.from({ length }, (_, i) => (i % 1000) / 1000 + 0.001);

describe('BlockDenoiser', () => {
  for (const [chunk, block, engineDelay] of [
    [320, 256, 256],
    [160, 480, 100],
    [256, 256, 0],
    [100, 64, 7],
  ] as const) {
    it(`frames of ${chunk} over blocks of ${block}: output is input delayed by exactly latencySamples, never short`, async () => {
      const denoiser = new BlockDenoiser(new DelayLineEngineDouble(block, engineDelay), chunk);
      const input = ramp(chunk * 50);
      const output = new Float32Array(input.length);
      for (let start = 0; start < input.length; start += chunk) {
        await denoiser.process(input.subarray(start, start + chunk), output.subarray(start, start + chunk));
      }
      const delay = denoiser.latencySamples;
      expect(delay).toBeGreaterThanOrEqual(engineDelay);
      expect(delay).toBeLessThan(engineDelay + block);
      expect(denoiser.underrunSamples).toBe(0);
      for (let n = delay; n < input.length; n++) expect(output[n]).toBe(input[n - delay]);
      for (let n = 0; n < delay; n++) expect(output[n]).toBe(0);
    });
  }

  it('denoiseSignal returns the signal time-aligned with its input', async () => {
    const input = ramp(12_345);
    const output = await denoiseSignal(new DelayLineEngineDouble(256, 256), input);
    expect(output.length).toBe(input.length);
    expect(Array.from(output)).toEqual(Array.from(input));
  });
});
