/**
 * Int16 ⇄ float conversions for the pipeline's two sample types. Float is in [-1, 1]
 * with int16 full scale at 32768; going back rounds and clips (never wraps).
 */
import type { SampleArray } from '../bus/audio-frame.js';

const INT16_SCALE = 32_768;

export function floatToInt16(source: Float32Array, target: Int16Array, length = source.length): void {
  for (let i = 0; i < length; i++) {
    const value = Math.round((source[i] as number) * INT16_SCALE);
    target[i] = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
  }
}

export function int16ToFloat(source: Int16Array, target: Float32Array, length = source.length): void {
  for (let i = 0; i < length; i++) target[i] = (source[i] as number) / INT16_SCALE;
}

/** Either sample type into floats (a plain copy when it already is float). */
export function toFloatSamples(source: SampleArray, target: Float32Array): void {
  if (source instanceof Int16Array) int16ToFloat(source, target);
  else target.set(source.subarray(0, target.length));
}

/** Floats into either sample type (a plain copy when the target is float). */
export function fromFloatSamples(source: Float32Array, target: SampleArray): void {
  if (target instanceof Int16Array) floatToInt16(source, target, target.length);
  else target.set(source.subarray(0, target.length));
}
