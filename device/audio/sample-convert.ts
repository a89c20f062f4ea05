/** Conversions at the device edge: interleaved int16 ⇄ mono float, with clipping. */
export { floatToInt16, int16ToFloat } from '../../pipeline/dsp/sample-format.js';

/** Averages the channels of interleaved int16 into mono float in [-1, 1]. Returns frames written. */
export function int16InterleavedToMonoFloat(source: Int16Array, channels: number, target: Float32Array): number {
  const frames = Math.floor(source.length / channels);
  const scale = 1 / (32768 * channels);
  for (let frame = 0, index = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) sum += source[index++] as number;
    target[frame] = sum * scale;
  }
  return frames;
}

/** Mono float to interleaved int16 with the same sample on every channel. */
export function monoFloatToInt16Interleaved(
  source: Float32Array,
  frames: number,
  channels: number,
  target: Int16Array,
  targetOffsetFrames = 0,
): void {
  let index = targetOffsetFrames * channels;
  for (let frame = 0; frame < frames; frame++) {
    const value = Math.round((source[frame] as number) * 32768);
    const clipped = value > 32767 ? 32767 : value < -32768 ? -32768 : value;
    for (let channel = 0; channel < channels; channel++) target[index++] = clipped;
  }
}
