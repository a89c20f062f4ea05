/**
 * The Whisper engine's audio helpers: the growing segment, the silence gate, the 30 s
 * windows, and the shortened log-mel computation compared with transformers.js's own
 * WhisperFeatureExtractor padding every window to 30 s.
 */
import { Tensor, WhisperFeatureExtractor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import {
  maxFrameRms,
  SampleBuffer,
  splitWindows,
  type WhisperFeatureExtractorLike,
  windowFeatures,
} from '../../../pipeline/engines/asr/whisper/whisper-audio.js';

/** The settings of Whisper's published preprocessor_config.json (tiny, base and small share it). */
const PREPROCESSOR = {
  chunk_length: 30,
  feature_extractor_type: 'WhisperFeatureExtractor',
  feature_size: 80,
  hop_length: 160,
  n_fft: 400,
  n_samples: 480000,
  nb_max_frames: 3000,
  padding_side: 'right',
  padding_value: 0.0,
  return_attention_mask: false,
  sampling_rate: 16000,
};
const SHAPE = { melBins: 80, windowFrames: 3000, windowSamples: 480000 };

function speechLike(sampleCount: number, seed = 3): Float32Array {
  const samples = new Float32Array(sampleCount);
  let state = seed;
  for (let i = 0; i < sampleCount; i++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    samples[i] = (state / 2 ** 31 - 0.5) * 0.6 * Math.sin(i / 2500) + 0.2 * Math.sin(i * 0.05);
  }
  return samples;
}

describe('SampleBuffer', () => {
  it('appends and shows the samples so far; an earlier view is not changed by later appends', () => {
    const buffer = new SampleBuffer();
    buffer.append(Float32Array.of(1, 2, 3));
    const early = buffer.view();
    buffer.append(new Float32Array(40000).fill(7)); // forces the buffer to grow
    buffer.append(Float32Array.of(9));
    expect([...early]).toEqual([1, 2, 3]);
    const all = buffer.view();
    expect(all.length).toBe(40004);
    expect([all[0], all[3], all[40002], all[40003]]).toEqual([1, 7, 7, 9]);
  });
});

describe('maxFrameRms', () => {
  it('is the loudest 20 ms frame, 0 for silence and empty input', () => {
    expect(maxFrameRms(new Float32Array(0))).toBe(0);
    expect(maxFrameRms(new Float32Array(16000))).toBe(0);
    const samples = new Float32Array(16000);
    samples.fill(0.5, 640, 960); // exactly frame 2
    samples.fill(0.1, 1000, 1100); // part of frame 3
    expect(maxFrameRms(samples)).toBeCloseTo(0.5, 6);
  });
});

describe('splitWindows', () => {
  it('cuts 30 s windows and drops a last window shorter than the minimum', () => {
    const samples = new Float32Array(480000 * 2 + 1000);
    expect(splitWindows(samples, 480000, 1600).map((w) => w.length)).toEqual([480000, 480000]);
    expect(splitWindows(samples.subarray(0, 480000 + 1600), 480000, 1600).map((w) => w.length)).toEqual([480000, 1600]);
    expect(splitWindows(samples.subarray(0, 1000), 480000, 1600)).toEqual([]);
  });
});

describe('windowFeatures', () => {
  const extractor = new WhisperFeatureExtractor(PREPROCESSOR) as unknown as WhisperFeatureExtractorLike;

  it('equals the 30 s padded features for short, long and full windows', async () => {
    for (const length of [1, 400, 1600, 16000, 116_800, 479_300, 479_400, 480_000]) {
      const window = speechLike(length);
      const reference = (await extractor(window)).input_features;
      const fast = await windowFeatures(extractor, window, SHAPE, Tensor);
      expect(fast.dims).toEqual([1, 80, 3000]);
      const a = reference.data as Float32Array;
      const b = fast.data as Float32Array;
      let largest = 0;
      for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs((a[i] as number) - (b[i] as number)));
      // Only the mel product's last float32 bit may differ (values are around ±1).
      expect(largest, `${length} samples`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('refuses a window longer than 30 s', async () => {
    await expect(windowFeatures(extractor, new Float32Array(480001), SHAPE, Tensor)).rejects.toThrow(/at most 480000/);
  });
});
