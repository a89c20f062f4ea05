/**
 * Low-frame-rate stacking and CMVN, as sherpa-onnx applies them for FunASR models
 * (SenseVoice, Paraformer): every `shift` frames, concatenate the next `window` frames into
 * one vector (7 × 80 = 560 dims at 60 ms steps), then normalise each dimension with the
 * mean and inverse standard deviation stored in the model's metadata.
 */
import type { FbankMatrix } from './kaldi-fbank.js';

export interface LfrOptions {
  windowFrames: number;
  shiftFrames: number;
}

export function lowFrameRateFrameCount(inputFrames: number, { windowFrames, shiftFrames }: LfrOptions): number {
  return inputFrames < windowFrames ? 0 : Math.floor((inputFrames - windowFrames) / shiftFrames) + 1;
}

export function stackLowFrameRate(input: FbankMatrix, lfr: LfrOptions): FbankMatrix {
  const frameCount = lowFrameRateFrameCount(input.frameCount, lfr);
  const melBinCount = input.melBinCount * lfr.windowFrames;
  const values = new Float32Array(frameCount * melBinCount);
  for (let f = 0; f < frameCount; f++) {
    const start = f * lfr.shiftFrames * input.melBinCount;
    values.set(input.values.subarray(start, start + melBinCount), f * melBinCount);
  }
  return { frameCount, melBinCount, values };
}

/** In place: `(x + negMean[d]) * invStddev[d]` for each dimension d. */
export function applyCmvn(features: FbankMatrix, negMean: Float32Array, invStddev: Float32Array): void {
  const dims = features.melBinCount;
  if (negMean.length !== dims || invStddev.length !== dims) {
    throw new RangeError(
      `CMVN has ${negMean.length}/${invStddev.length} dims but the features have ${dims}: the model metadata does not fit its front end`,
    );
  }
  const { values } = features;
  for (let f = 0; f < features.frameCount; f++) {
    const row = f * dims;
    for (let d = 0; d < dims; d++) {
      values[row + d] = ((values[row + d] as number) + (negMean[d] as number)) * (invStddev[d] as number);
    }
  }
}
