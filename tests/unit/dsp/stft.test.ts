/** The sqrt-Hann STFT pair and the sample FIFO that re-chunks around it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SampleFifo } from '../../../pipeline/dsp/sample-fifo.js';
import { SqrtHannStft, sqrtHannWindow } from '../../../pipeline/dsp/stft.js';

describe('SqrtHannStft', () => {
  it('reconstructs any signal delayed by one hop when the spectrum is left alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 256 * 6, maxLength: 256 * 6 }),
        (values) => {
          const stft = new SqrtHannStft(512);
          const input = Float32Array.from(values);
          const output = new Float32Array(input.length);
          const spectrum = new Float32Array(stft.binCount * 2);
          for (let start = 0; start < input.length; start += 256) {
            stft.analyze(input.subarray(start, start + 256), spectrum);
            stft.synthesize(spectrum, output.subarray(start, start + 256));
          }
          // After the first window fills, output[n] == input[n - 256].
          for (let n = 512; n < input.length; n++) {
            expect(Math.abs((output[n] as number) - (input[n - 256] as number))).toBeLessThan(1e-5);
          }
        },
      ),
      { numRuns: 20, seed: 4 },
    );
  });

  it('puts a sine in the right bin', () => {
    const stft = new SqrtHannStft(512);
    const spectrum = new Float32Array(stft.binCount * 2);
    const bin = 40; // 40 * 16000 / 512 = 1250 Hz
    const hop = new Float32Array(256);
    for (let block = 0; block < 2; block++) {
      for (let i = 0; i < 256; i++) hop[i] = Math.sin((2 * Math.PI * bin * (block * 256 + i)) / 512);
      stft.analyze(hop, spectrum);
    }
    const magnitudes = Array.from({ length: stft.binCount }, (_, k) =>
      Math.hypot(spectrum[2 * k] as number, spectrum[2 * k + 1] as number),
    );
    expect(magnitudes.indexOf(Math.max(...magnitudes))).toBe(bin);
  });

  it('uses a window whose squares overlap-add to one at half overlap', () => {
    const window = sqrtHannWindow(512);
    for (let i = 0; i < 256; i++)
      expect((window[i] as number) ** 2 + (window[i + 256] as number) ** 2).toBeCloseTo(1, 10);
  });

  it('refuses a window that is not a power of two', () => {
    expect(() => new SqrtHannStft(500)).toThrow(/power of two/);
  });
});

describe('SampleFifo', () => {
  it('keeps order across pushes and pops of different sizes, and zero-fills a short pop', () => {
    const fifo = new SampleFifo(8);
    fifo.push(Float32Array.of(1, 2, 3));
    fifo.push(Float32Array.of(4, 5));
    const out = new Float32Array(4);
    expect(fifo.popInto(out)).toBe(4);
    expect(Array.from(out)).toEqual([1, 2, 3, 4]);
    fifo.push(Float32Array.of(6, 7, 8, 9, 10, 11)); // compacts to fit
    expect(fifo.popInto(out)).toBe(4);
    expect(Array.from(out)).toEqual([5, 6, 7, 8]);
    expect(fifo.popInto(out)).toBe(3);
    expect(Array.from(out)).toEqual([9, 10, 11, 0]);
  });

  it('throws on overflow instead of dropping samples', () => {
    const fifo = new SampleFifo(4);
    fifo.push(new Float32Array(3));
    expect(() => fifo.push(new Float32Array(2))).toThrow(/overflow/);
  });
});
