import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import { readPipelineWav } from '../../../device/audio/read-pipeline-wav.js';
import type { WindowType } from '../../../pipeline/engines/asr/features/fbank-options.js';
import { KaldiFbank, OnlineFbank } from '../../../pipeline/engines/asr/features/kaldi-fbank.js';
import { buildMelBanks } from '../../../pipeline/engines/asr/features/mel-banks.js';

/** Reference frames made once by kaldi-native-fbank (see generate-fbank-reference.py beside it). */
interface FbankReference {
  kaldi_native_fbank_version: string;
  tolerance_abs: number;
  option_sets: Record<string, { window_type: WindowType; snip_edges: boolean; low_freq: number; high_freq: number }>;
  clips: {
    file: string;
    num_samples: number;
    features: Record<string, { num_frames: number; frames: { index: number; values: number[] }[] }>;
  }[];
}

const reference = JSON.parse(
  readFileSync(new URL('../../fixtures/asr/fbank-reference.json', import.meta.url), 'utf8'),
) as FbankReference;

const clipPaths = reference.clips.map((clip) => join(SHARED_PATHS.mandarinDir, clip.file));
const missing = firstMissing(clipPaths);
if (missing) console.warn(`skipping the fbank reference comparison: ${missing} is missing (../shared not present)`);

describe.skipIf(missing !== undefined)(
  `fbank matches kaldi-native-fbank ${reference.kaldi_native_fbank_version} on real Mandarin`,
  () => {
    for (const clip of reference.clips) {
      for (const [setName, expected] of Object.entries(clip.features)) {
        it(`${clip.file}, ${setName} options: every reference frame within ${reference.tolerance_abs}`, async () => {
          const set = reference.option_sets[setName];
          if (!set) throw new Error(`fixture names option set ${setName} but does not define it`);
          const audio = await readPipelineWav(join(SHARED_PATHS.mandarinDir, clip.file));
          expect(audio.samples.length).toBe(clip.num_samples);
          const fbank = new KaldiFbank({
            windowType: set.window_type,
            snipEdges: set.snip_edges,
            lowFreqHz: set.low_freq,
            highFreqHz: set.high_freq,
          });
          const features = fbank.compute(audio.samples);
          expect(features.frameCount).toBe(expected.num_frames);
          let worst = 0;
          for (const frame of expected.frames) {
            for (let bin = 0; bin < 80; bin++) {
              const got = features.values[frame.index * 80 + bin] as number;
              worst = Math.max(worst, Math.abs(got - (frame.values[bin] as number)));
            }
          }
          console.info(`fbank vs kaldi-native-fbank, ${clip.file} (${setName}): max |error| ${worst.toExponential(2)}`);
          expect(worst).toBeLessThan(reference.tolerance_abs);
        });
      }
    }
  },
);

describe('KaldiFbank', () => {
  it('counts frames as Kaldi does with and without snipped edges', () => {
    const snipped = new KaldiFbank({ snipEdges: true });
    expect(snipped.frameCountFor(399)).toBe(0);
    expect(snipped.frameCountFor(400)).toBe(1);
    expect(snipped.frameCountFor(16000)).toBe(98);
    const reflected = new KaldiFbank({ snipEdges: false });
    expect(reflected.frameCountFor(16000)).toBe(100);
    expect(reflected.compute(new Float32Array(100).fill(0.1)).frameCount).toBe(1);
  });

  it('floors silence at log(FLT_EPSILON) instead of -Infinity', () => {
    const features = new KaldiFbank().compute(new Float32Array(1600));
    expect(features.values.every((v) => Math.abs(v - Math.log(1.1920928955078125e-7)) < 1e-6)).toBe(true);
  });

  it('puts a tone in the mel bin whose band holds it', () => {
    const samples = new Float32Array(16000);
    for (let i = 0; i < samples.length; i++) samples[i] = 0.3 * Math.sin((2 * Math.PI * 1000 * i) / 16000);
    const features = new KaldiFbank().compute(samples);
    const row = Array.from(features.values.subarray(50 * 80, 51 * 80));
    const loudest = row.indexOf(Math.max(...row));
    const filters = buildMelBanks({
      melBinCount: 80,
      fftLength: 512,
      sampleRateHz: 16000,
      lowFreqHz: 20,
      highFreqHz: 0,
    });
    const toneBin = 1000 / (16000 / 512);
    const filter = filters[loudest];
    expect(filter).toBeDefined();
    expect(toneBin).toBeGreaterThanOrEqual(filter?.firstBin ?? Number.NaN);
    expect(toneBin).toBeLessThanOrEqual((filter?.firstBin ?? 0) + (filter?.weights.length ?? 0));
  });

  it('streams: OnlineFbank over uneven chunks equals the whole-signal features', () => {
    const samples = new Float32Array(12345);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i * 0.01) * 0.2 + Math.sin(i * 0.37) * 0.05;
    const fbank = new KaldiFbank({ windowType: 'hamming' });
    const whole = fbank.compute(samples);
    const online = new OnlineFbank(fbank, 1000);
    for (let start = 0; start < samples.length; start += 777) online.accept(samples.subarray(start, start + 777));
    const streamed = online.matrix();
    expect(streamed.frameCount).toBe(whole.frameCount);
    expect(Array.from(streamed.values)).toEqual(Array.from(whole.values));
    expect(online.waveform()).toEqual(samples);
  });

  it('refuses a mel range outside the band, saying which', () => {
    expect(() => new KaldiFbank({ lowFreqHz: 9000 })).toThrow(/lowFreqHz < highFreqHz ≤ 8000/);
  });
});
