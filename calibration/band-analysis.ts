/**
 * Octave-band levels, frame by frame, from Hann-windowed FFTs (fft.js): the power in each
 * band is the sum of its bins' power, scaled so that the bands of a white signal add up
 * to its mean square (Parseval with the window's energy). Frame-by-frame powers let the
 * mask-leak step compare the two microphones over the same moments of speech and take
 * the room's noise out of each band.
 */
import FFT from 'fft.js';

/** Octave band [centre/√2, centre·√2), the base-2 form of IEC 61260 octave bands. */
export function octaveBandEdgesHz(centreHz: number): [number, number] {
  return [centreHz / Math.SQRT2, centreHz * Math.SQRT2];
}

export interface BandFrames {
  bandsHz: readonly number[];
  frameSamples: number;
  frames: number;
  /** Mean-square power per frame and band: powers[frame * bands + band]. */
  powers: Float64Array;
  /** Mean-square power of each whole frame (all bins). */
  framePowers: Float64Array;
}

export class OctaveBandAnalyser {
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly windowed: Float64Array;
  private readonly spectrum: number[];
  /** For each band, the bins [first, last) it sums. */
  private readonly binRanges: [number, number][];
  private readonly powerScale: number;

  constructor(
    readonly bandsHz: readonly number[],
    readonly sampleRateHz: number,
    readonly frameSamples = 1024,
  ) {
    if (frameSamples < 16 || (frameSamples & (frameSamples - 1)) !== 0) {
      throw new RangeError(`band analysis: frameSamples must be a power of two ≥ 16, got ${frameSamples}`);
    }
    this.fft = new FFT(frameSamples);
    this.window = new Float64Array(frameSamples);
    let windowEnergy = 0;
    for (let i = 0; i < frameSamples; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameSamples);
      this.window[i] = w;
      windowEnergy += w * w;
    }
    this.windowed = new Float64Array(frameSamples);
    this.spectrum = this.fft.createComplexArray() as number[];
    const binHz = sampleRateHz / frameSamples;
    this.binRanges = bandsHz.map((centreHz) => {
      const [lowHz, highHz] = octaveBandEdgesHz(centreHz);
      if (highHz > sampleRateHz / 2 + binHz) {
        throw new RangeError(
          `band ${centreHz} Hz reaches ${highHz.toFixed(0)} Hz, past Nyquist (${sampleRateHz / 2} Hz)`,
        );
      }
      return [Math.ceil(lowHz / binHz), Math.min(frameSamples / 2 + 1, Math.ceil(highHz / binHz))];
    });
    // One-sided power of a frame: |X_0|² + 2Σ|X_k|² + |X_N/2|², over N·Σw² gives the mean square.
    this.powerScale = 1 / (frameSamples * windowEnergy);
  }

  /** Band powers of consecutive frames (hop = frame/2) over samples[start, end). */
  frames(samples: Float32Array, start = 0, end = samples.length): BandFrames {
    const { frameSamples } = this;
    const hop = frameSamples / 2;
    const frames = Math.max(0, Math.floor((end - start - frameSamples) / hop) + 1);
    const bands = this.bandsHz.length;
    const powers = new Float64Array(frames * bands);
    const framePowers = new Float64Array(frames);
    for (let frame = 0; frame < frames; frame++) {
      const offset = start + frame * hop;
      for (let i = 0; i < frameSamples; i++) {
        this.windowed[i] = (samples[offset + i] as number) * (this.window[i] as number);
      }
      this.fft.realTransform(this.spectrum, this.windowed);
      const binPower = (k: number): number => {
        const re = this.spectrum[2 * k] as number;
        const im = this.spectrum[2 * k + 1] as number;
        const oneSided = k === 0 || k === frameSamples / 2 ? 1 : 2;
        return oneSided * (re * re + im * im) * this.powerScale;
      };
      let total = 0;
      for (let k = 0; k <= frameSamples / 2; k++) total += binPower(k);
      framePowers[frame] = total;
      for (let band = 0; band < bands; band++) {
        const [first, last] = this.binRanges[band] as [number, number];
        let power = 0;
        for (let k = first; k < last; k++) power += binPower(k);
        powers[frame * bands + band] = power;
      }
    }
    return { bandsHz: this.bandsHz, frameSamples, frames, powers, framePowers };
  }
}

/** Mean power per band over the frames `select` keeps (all when omitted). */
export function meanBandPowers(frames: BandFrames, select?: (frame: number) => boolean): Float64Array {
  const bands = frames.bandsHz.length;
  const sums = new Float64Array(bands);
  let count = 0;
  for (let frame = 0; frame < frames.frames; frame++) {
    if (select && !select(frame)) continue;
    count += 1;
    for (let band = 0; band < bands; band++)
      sums[band] = (sums[band] as number) + (frames.powers[frame * bands + band] as number);
  }
  return sums.map((sum) => (count > 0 ? sum / count : 0));
}

/** Mean power per band over a whole signal, in dBFS. */
export function bandLevelsDbfs(
  analyser: OctaveBandAnalyser,
  samples: Float32Array,
  start?: number,
  end?: number,
): number[] {
  return Array.from(meanBandPowers(analyser.frames(samples, start, end)), powerToDb);
}

export function powerToDb(power: number): number {
  return power > 0 ? 10 * Math.log10(power) : Number.NEGATIVE_INFINITY;
}
