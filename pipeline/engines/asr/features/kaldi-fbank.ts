/**
 * Kaldi-compatible log-mel filterbank ("fbank") features, the front end SenseVoice and
 * Paraformer were trained on. Per frame, in Kaldi's order: take the frame (reflecting at
 * the edges when snipEdges is off), remove the DC offset, pre-emphasise, window, zero-pad
 * to a power of two, take the power spectrum, apply the mel filters and the log (floored
 * at FLT_EPSILON). No dither: recognition must be deterministic.
 *
 * Checked against kaldi-native-fbank on real Mandarin recordings
 * (tests/unit/asr/kaldi-fbank.test.ts, reference numbers in tests/fixtures/asr).
 */
import FFT from 'fft.js';
import { type FbankOptions, type FbankOptionsInput, FbankOptionsSchema } from './fbank-options.js';
import { analysisWindow } from './frame-window.js';
import { buildMelBanks, type MelFilter } from './mel-banks.js';

/** FLT_EPSILON: Kaldi floors the mel energies here before taking the log. */
const LOG_ENERGY_FLOOR = 1.1920928955078125e-7;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export interface FbankMatrix {
  frameCount: number;
  melBinCount: number;
  /** Row-major, `frameCount × melBinCount`. */
  values: Float32Array;
}

export class KaldiFbank {
  readonly options: FbankOptions;
  readonly frameLengthSamples: number;
  readonly frameShiftSamples: number;
  private readonly window: Float64Array;
  private readonly melFilters: MelFilter[];
  private readonly fft: FFT;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;
  private readonly power: Float64Array;

  constructor(options: FbankOptionsInput = {}) {
    this.options = FbankOptionsSchema.parse(options);
    const { sampleRateHz, frameLengthMs, frameShiftMs } = this.options;
    this.frameLengthSamples = Math.round((sampleRateHz * frameLengthMs) / 1000);
    this.frameShiftSamples = Math.round((sampleRateHz * frameShiftMs) / 1000);
    const fftLength = nextPowerOfTwo(this.frameLengthSamples);
    this.window = analysisWindow(this.options.windowType, this.frameLengthSamples);
    this.melFilters = buildMelBanks({ ...this.options, fftLength });
    this.fft = new FFT(fftLength);
    this.frame = new Float64Array(fftLength);
    this.spectrum = new Float64Array(fftLength * 2);
    this.power = new Float64Array(fftLength / 2 + 1);
  }

  get melBinCount(): number {
    return this.options.melBinCount;
  }

  /** How many frames a signal of `sampleCount` samples yields (Kaldi's NumFrames). */
  frameCountFor(sampleCount: number): number {
    const { frameLengthSamples: length, frameShiftSamples: shift } = this;
    if (this.options.snipEdges) return sampleCount < length ? 0 : 1 + Math.floor((sampleCount - length) / shift);
    return Math.floor((sampleCount + shift / 2) / shift);
  }

  /** Features of a whole signal of [-1, 1) samples. */
  compute(samples: Float32Array): FbankMatrix {
    const frameCount = this.frameCountFor(samples.length);
    const values = new Float32Array(frameCount * this.melBinCount);
    for (let f = 0; f < frameCount; f++) this.computeFrame(samples, f, values, f * this.melBinCount);
    return { frameCount, melBinCount: this.melBinCount, values };
  }

  /**
   * Write frame `frameIndex` of `samples` into `out` at `outOffset`. With snipEdges the
   * frame depends only on samples up to its end, which is what lets OnlineFbank stream.
   */
  computeFrame(samples: Float32Array, frameIndex: number, out: Float32Array, outOffset: number): void {
    const { frameLengthSamples: length, frameShiftSamples: shift, frame, options } = this;
    const firstSample = options.snipEdges ? frameIndex * shift : frameIndex * shift + shift / 2 - length / 2;
    const n = samples.length;
    let sum = 0;
    for (let i = 0; i < length; i++) {
      let s = firstSample + i;
      // Reflect at the signal edges (only reached when snipEdges is off).
      while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
      const value = (samples[s] as number) * options.inputScale;
      frame[i] = value;
      sum += value;
    }
    if (options.removeDcOffset) {
      const mean = sum / length;
      for (let i = 0; i < length; i++) frame[i] = (frame[i] as number) - mean;
    }
    const k = options.preemphasisCoefficient;
    if (k !== 0) {
      for (let i = length - 1; i > 0; i--) frame[i] = (frame[i] as number) - k * (frame[i - 1] as number);
      frame[0] = (frame[0] as number) * (1 - k);
    }
    for (let i = 0; i < length; i++) frame[i] = (frame[i] as number) * (this.window[i] as number);
    frame.fill(0, length);

    this.fft.realTransform(this.spectrum, frame);
    for (let b = 0; b < this.power.length; b++) {
      const re = this.spectrum[2 * b] as number;
      const im = this.spectrum[2 * b + 1] as number;
      this.power[b] = re * re + im * im;
    }
    for (let m = 0; m < this.melFilters.length; m++) {
      const { firstBin, weights } = this.melFilters[m] as MelFilter;
      let energy = 0;
      for (let w = 0; w < weights.length; w++) energy += (weights[w] as number) * (this.power[firstBin + w] as number);
      out[outOffset + m] = Math.log(Math.max(energy, LOG_ENERGY_FLOOR));
    }
  }
}

/**
 * Fbank over a growing utterance: samples arrive in chunks, each frame is computed once,
 * as soon as its last sample is in. Used by the recognisers' streams so re-decoding a
 * growing segment every few hundred milliseconds does not redo the front end.
 */
export class OnlineFbank {
  private samples: Float32Array;
  private sampleCount = 0;
  private features: Float32Array;
  private computedFrames = 0;

  constructor(
    private readonly fbank: KaldiFbank,
    initialCapacitySamples = 16000 * 4,
  ) {
    if (!fbank.options.snipEdges) {
      throw new Error('OnlineFbank needs snipEdges: with reflected edges the last frames depend on future samples');
    }
    this.samples = new Float32Array(initialCapacitySamples);
    this.features = new Float32Array(fbank.frameCountFor(initialCapacitySamples) * fbank.melBinCount);
  }

  get frameCount(): number {
    return this.computedFrames;
  }

  get totalSamples(): number {
    return this.sampleCount;
  }

  accept(chunk: Float32Array): void {
    if (this.sampleCount + chunk.length > this.samples.length) {
      const grown = new Float32Array(Math.max(this.samples.length * 2, this.sampleCount + chunk.length));
      grown.set(this.samples.subarray(0, this.sampleCount));
      this.samples = grown;
    }
    this.samples.set(chunk, this.sampleCount);
    this.sampleCount += chunk.length;

    const available = this.fbank.frameCountFor(this.sampleCount);
    const melBinCount = this.fbank.melBinCount;
    if (available * melBinCount > this.features.length) {
      const grown = new Float32Array(Math.max(this.features.length * 2, available * melBinCount));
      grown.set(this.features.subarray(0, this.computedFrames * melBinCount));
      this.features = grown;
    }
    const signal = this.samples.subarray(0, this.sampleCount);
    for (let f = this.computedFrames; f < available; f++) {
      this.fbank.computeFrame(signal, f, this.features, f * melBinCount);
    }
    this.computedFrames = available;
  }

  /** The frames so far (a view, valid until the next `accept`). */
  matrix(): { frameCount: number; melBinCount: number; values: Float32Array } {
    const melBinCount = this.fbank.melBinCount;
    return {
      frameCount: this.computedFrames,
      melBinCount,
      values: this.features.subarray(0, this.computedFrames * melBinCount),
    };
  }

  /** All samples so far (a view, valid until the next `accept`). */
  waveform(): Float32Array {
    return this.samples.subarray(0, this.sampleCount);
  }
}
