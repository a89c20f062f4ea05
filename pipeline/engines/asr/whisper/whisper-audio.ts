/**
 * The audio side of the Whisper engine: the growing segment, the silence gate, the 30 s
 * windows, and the log-mel features of one window.
 *
 * Windows: Whisper sees exactly 30 s at a time (the feature extractor pads or cuts to
 * 480,000 samples). A longer segment is not refused or silently cut: it is decoded in
 * consecutive 30 s windows whose text tokens are joined (a word that straddles a boundary
 * may be split or garbled; the VAD normally ends an utterance long before 30 s). A last
 * window shorter than the minimum (100 ms) is dropped, as a segment that short would be.
 *
 * Features: `windowFeatures` gives exactly what transformers.js's WhisperFeatureExtractor
 * gives for the window padded to 30 s, but computes the STFT only over the audio plus 600
 * zero samples instead of all 3000 frames (a 2 s utterance: ~15 ms instead of ~170 ms,
 * re-done for every partial). This is exact by construction: with `center` framing each
 * frame t covers samples [160t − 200, 160t + 200), so every frame computed over the
 * shortened waveform sees the same samples as in the padded one (reflect padding at the
 * shortened end mirrors zeros), the frames past it are all-zero frames of the padded
 * waveform, and the last computed frame is already such an all-zero frame. Their log-mel
 * value only depends on the window's maximum, which the all-zero frames never raise, so
 * each mel row is continued with its last computed value. (The mel matrix product may
 * differ in the last float32 bit because the matrix has fewer columns;
 * tests/unit/asr/whisper-audio.test.ts compares both paths.)
 */
import type { Tensor } from '@huggingface/transformers';

/** What the engine needs of transformers.js's WhisperFeatureExtractor. */
export type WhisperFeatureExtractorLike = (
  audio: Float32Array,
  options?: { max_length?: number },
) => Promise<{ input_features: Tensor }>;

/** Zero samples after the audio when computing a shortened spectrogram (≥ 200 + 400: see above). */
const TAIL_ZEROS = 600;

/** The segment accepted so far: appends in place, read as a view without copying. */
export class SampleBuffer {
  private data = new Float32Array(16000);
  private length = 0;

  append(samples: Float32Array): void {
    if (this.length + samples.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.data.length * 2, this.length + samples.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(samples, this.length);
    this.length += samples.length;
  }

  /**
   * The samples so far. Later appends never change what this view shows: they write past
   * its end or into a new array.
   */
  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}

/** The loudest RMS over consecutive frames of `frameSamples` (a last partial frame counts). */
export function maxFrameRms(samples: Float32Array, frameSamples = 320): number {
  let loudest = 0;
  for (let start = 0; start < samples.length; start += frameSamples) {
    const end = Math.min(samples.length, start + frameSamples);
    let sum = 0;
    for (let i = start; i < end; i++) {
      const value = samples[i] as number;
      sum += value * value;
    }
    loudest = Math.max(loudest, Math.sqrt(sum / (end - start)));
  }
  return loudest;
}

/** Consecutive windows of at most `windowSamples`; a last window shorter than `minSamples` is dropped. */
export function splitWindows(samples: Float32Array, windowSamples: number, minSamples: number): Float32Array[] {
  const windows: Float32Array[] = [];
  for (let start = 0; start < samples.length; start += windowSamples) {
    const window = samples.subarray(start, Math.min(samples.length, start + windowSamples));
    if (window.length >= minSamples) windows.push(window);
  }
  return windows;
}

/**
 * The `[1, melBins, windowFrames]` log-mel input of one window (≤ `windowSamples` samples),
 * identical to `extractor(window)` (see the file comment).
 */
export async function windowFeatures(
  extractor: WhisperFeatureExtractorLike,
  window: Float32Array,
  shape: { melBins: number; windowFrames: number; windowSamples: number },
  TensorClass: typeof Tensor,
): Promise<Tensor> {
  if (window.length > shape.windowSamples)
    throw new Error(`a Whisper window holds at most ${shape.windowSamples} samples, got ${window.length}`);
  const shortened = window.length + TAIL_ZEROS;
  if (shortened > shape.windowSamples) return (await extractor(window)).input_features;
  const part = (await extractor(window, { max_length: shortened })).input_features;
  const [, melBins, frames] = part.dims as [number, number, number];
  if (melBins !== shape.melBins || frames > shape.windowFrames || frames < 1)
    throw new Error(`the feature extractor gave [${part.dims}] for ${shortened} samples`);
  const computed = part.data as Float32Array;
  const full = new Float32Array(melBins * shape.windowFrames);
  for (let mel = 0; mel < melBins; mel++) {
    const row = computed.subarray(mel * frames, (mel + 1) * frames);
    const offset = mel * shape.windowFrames;
    full.set(row, offset);
    full.fill(row[frames - 1] as number, offset + frames, offset + shape.windowFrames);
  }
  return new TensorClass('float32', full, [1, melBins, shape.windowFrames]);
}
