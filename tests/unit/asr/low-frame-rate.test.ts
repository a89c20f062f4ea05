import { describe, expect, it } from 'vitest';
import {
  applyCmvn,
  lowFrameRateFrameCount,
  stackLowFrameRate,
} from '../../../pipeline/engines/asr/features/low-frame-rate.js';

function matrix(frameCount: number, melBinCount: number) {
  // Value = frame * 100 + bin, so every copied value says where it came from.
  const values = Float32Array.from(
    { length: frameCount * melBinCount },
    (_, i) => Math.floor(i / melBinCount) * 100 + (i % melBinCount),
  );
  return { frameCount, melBinCount, values };
}

describe('low-frame-rate stacking', () => {
  it('stacks `window` frames every `shift` frames with no padding (as sherpa-onnx does)', () => {
    const lfr = { windowFrames: 7, shiftFrames: 6 };
    expect([6, 7, 12, 13, 98].map((n) => lowFrameRateFrameCount(n, lfr))).toEqual([0, 1, 1, 2, 16]);
    const stacked = stackLowFrameRate(matrix(20, 2), lfr);
    expect(stacked.frameCount).toBe(3);
    expect(stacked.melBinCount).toBe(14);
    // Output frame 1 starts at input frame 6 and spans frames 6..12.
    expect(Array.from(stacked.values.subarray(14, 28))).toEqual([
      600, 601, 700, 701, 800, 801, 900, 901, 1000, 1001, 1100, 1101, 1200, 1201,
    ]);
  });

  it('normalises each dimension with the negated mean and inverse deviation', () => {
    const features = matrix(2, 3);
    applyCmvn(features, Float32Array.of(-1, -2, -3), Float32Array.of(1, 0.5, 2));
    expect(Array.from(features.values)).toEqual([-1, -0.5, -2, 99, 49.5, 198]);
    expect(() => applyCmvn(matrix(1, 3), new Float32Array(2), new Float32Array(2))).toThrow(/CMVN has 2\/2 dims/);
  });
});
