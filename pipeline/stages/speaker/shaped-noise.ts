/**
 * The masker's sound: one independent noise per band, each white Gaussian noise shaped
 * in the STFT domain by its band's log-frequency triangle (octave-bands.ts) and
 * resynthesised with the project's sqrt-Hann overlap-add. Because the band noises are
 * independent and their triangles sum to one, any set of band gains gives a spectrum
 * that glides smoothly from centre to centre. Gains are applied per sample in the time
 * domain, so a level change reaches the output at once; the noise itself is generated a
 * hop ahead into a ring (latency there is irrelevant, it is noise).
 *
 * Each band noise is scaled so that its own band (rectangular, as the analyzer and the
 * SII measure it) holds unit power; `crossPower` says what it leaks into the others.
 */
import { gaussianPairSource, seededRandom } from '../../dsp/seeded-random.js';
import { SqrtHannStft } from '../../dsp/stft.js';
import { type BandLayout, binBands, triangularBandWeights } from './octave-bands.js';

const RING_CAPACITY = 2048;

export class ShapedNoiseGenerator {
  readonly bandCount: number;
  /** `crossPower[c][b]`: power the unit noise of band b puts into band c (1 when c = b). */
  readonly crossPower: Float64Array[];
  /** Total power (mean square) of each band's unit noise over the whole spectrum. */
  readonly totalPower: Float64Array;
  /** Largest chunk `render` takes at once. */
  readonly maxChunkSamples: number;
  private readonly stfts: SqrtHannStft[];
  /** Per band, the amplitude per bin that gives it unit own-band power. */
  private readonly binAmplitudes: Float64Array[];
  private readonly rings: Float32Array[];
  private readonly spectrum: Float32Array;
  private readonly hop: Float32Array;
  private readonly hopSamples: number;
  private readIndex = 0;
  private availableSamples = 0;
  /** Seeded standard-normal draws, so every masker run is reproducible. */
  private readonly gaussian: () => number;

  constructor(layout: BandLayout, fftSize: number, sampleRateHz: number, seed: number) {
    const weights = triangularBandWeights(layout, fftSize, sampleRateHz);
    const bins = binBands(layout, fftSize, sampleRateHz);
    this.bandCount = layout.centresHz.length;
    this.gaussian = gaussianPairSource(seededRandom(seed));
    this.stfts = weights.map(() => new SqrtHannStft(fftSize));
    this.hopSamples = fftSize / 2;
    this.maxChunkSamples = RING_CAPACITY - this.hopSamples;
    this.spectrum = new Float32Array(fftSize + 2);
    this.hop = new Float32Array(this.hopSamples);
    this.rings = weights.map(() => new Float32Array(RING_CAPACITY));
    // Per-bin output variance of an inverse FFT (fft.js divides by N) of a complex
    // Gaussian bin with E|Z|² = 1 and its mirror: 2·|A|²/N². Overlap-add of sqrt-Hann at
    // half overlap keeps that variance (the squared windows sum to one).
    const ownPower = weights.map((w, b) => {
      let sum = 0;
      for (let k = 0; k < w.length; k++) if (bins[k] === b) sum += (2 * (w[k] as number)) / fftSize ** 2;
      return sum;
    });
    this.binAmplitudes = weights.map((w, b) => w.map((value) => Math.sqrt(value / (ownPower[b] as number))));
    this.crossPower = weights.map((_, c) =>
      Float64Array.from(weights, (w, b) => {
        let sum = 0;
        for (let k = 0; k < w.length; k++) if (bins[k] === c) sum += (2 * (w[k] as number)) / fftSize ** 2;
        return sum / (ownPower[b] as number);
      }),
    );
    this.totalPower = Float64Array.from(weights, (w, b) => {
      let sum = 0;
      for (let k = 0; k < w.length; k++) sum += (2 * (w[k] as number)) / fftSize ** 2;
      return sum / (ownPower[b] as number);
    });
    // The first hop out of an overlap-add fades in; drop it so the noise starts stationary.
    this.generateHop();
    this.readIndex = this.hopSamples;
    this.availableSamples = 0;
  }

  /**
   * Writes Σ_b amplitude_b · noise_b into `out[start, end)`, each band's amplitude ramping
   * linearly from `fromAmplitudes[b]` to `toAmplitudes[b]` across the chunk.
   */
  render(
    out: Float32Array,
    start: number,
    end: number,
    fromAmplitudes: Float64Array,
    toAmplitudes: Float64Array,
  ): void {
    const length = end - start;
    if (length <= 0) return;
    if (length > this.maxChunkSamples) {
      throw new RangeError(`ShapedNoiseGenerator: chunk of ${length} samples exceeds ${this.maxChunkSamples}`);
    }
    while (this.availableSamples < length) this.generateHop();
    const mask = RING_CAPACITY - 1;
    out.fill(0, start, end);
    for (let b = 0; b < this.bandCount; b++) {
      const from = fromAmplitudes[b] as number;
      const step = ((toAmplitudes[b] as number) - from) / length;
      if (from === 0 && step === 0) continue;
      const ring = this.rings[b] as Float32Array;
      for (let i = 0; i < length; i++) {
        const amplitude = from + step * (i + 1);
        out[start + i] = (out[start + i] as number) + amplitude * (ring[(this.readIndex + i) & mask] as number);
      }
    }
    this.readIndex = (this.readIndex + length) & mask;
    this.availableSamples -= length;
  }

  private generateHop(): void {
    const writeIndex = (this.readIndex + this.availableSamples) & (RING_CAPACITY - 1);
    for (let b = 0; b < this.bandCount; b++) {
      const amplitudes = this.binAmplitudes[b] as Float64Array;
      for (let k = 0; k < amplitudes.length; k++) {
        const amplitude = amplitudes[k] as number;
        // re and im each N(0, ½), so E|Z|² = 1.
        this.spectrum[2 * k] = amplitude === 0 ? 0 : amplitude * Math.SQRT1_2 * this.gaussian();
        this.spectrum[2 * k + 1] = amplitude === 0 ? 0 : amplitude * Math.SQRT1_2 * this.gaussian();
      }
      (this.stfts[b] as SqrtHannStft).synthesize(this.spectrum, this.hop);
      const ring = this.rings[b] as Float32Array;
      for (let i = 0; i < this.hopSamples; i++) ring[(writeIndex + i) & (RING_CAPACITY - 1)] = this.hop[i] as number;
    }
    this.availableSamples += this.hopSamples;
  }
}
