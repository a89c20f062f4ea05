/**
 * Band levels of the microphone signal: every `hopSamples` a Hann-windowed FFT of the
 * newest `windowSamples`, its bins summed rectangularly per band. Each band's power is
 * the mean square of the band-limited signal (the band powers of white noise add up to
 * its variance), so it compares directly with a level measured through octave filters.
 */
import FFT from 'fft.js';
import { type BandLayout, binBands } from './octave-bands.js';

export class BandAnalyzer {
  /** Mean-square power per band from the latest analysis (linear, full scale = 1). */
  readonly bandPowers: Float64Array;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly binBand: Int8Array;
  /** Converts Σ|X_k|² over one side of the spectrum into mean square: 2 / (N · Σw²). */
  private readonly powerScale: number;
  /** The newest `windowSamples` inputs as a ring; `writeIndex` is the oldest. */
  private readonly history: Float64Array;
  private readonly windowed: Float64Array;
  private readonly spectrum: Float64Array;
  private writeIndex = 0;
  private samplesSinceAnalysis = 0;

  constructor(
    layout: BandLayout,
    readonly windowSamples: number,
    readonly hopSamples: number,
    sampleRateHz: number,
  ) {
    if (windowSamples < 16 || (windowSamples & (windowSamples - 1)) !== 0) {
      throw new RangeError(`analysisWindowSamples: must be a power of two ≥ 16, got ${windowSamples}`);
    }
    if (!Number.isInteger(hopSamples) || hopSamples < 1 || hopSamples > windowSamples) {
      throw new RangeError(`analysisHopSamples: must be an integer from 1 to ${windowSamples}, got ${hopSamples}`);
    }
    this.fft = new FFT(windowSamples);
    this.window = new Float64Array(windowSamples);
    let windowEnergy = 0;
    for (let i = 0; i < windowSamples; i++) {
      const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / windowSamples);
      this.window[i] = w;
      windowEnergy += w * w;
    }
    this.powerScale = 2 / (windowSamples * windowEnergy);
    this.binBand = binBands(layout, windowSamples, sampleRateHz);
    this.bandPowers = new Float64Array(layout.centresHz.length);
    this.history = new Float64Array(windowSamples);
    this.windowed = new Float64Array(windowSamples);
    this.spectrum = new Float64Array(windowSamples * 2);
  }

  /** How many more samples complete the current hop. */
  get samplesToNextAnalysis(): number {
    return this.hopSamples - this.samplesSinceAnalysis;
  }

  /**
   * Takes `samples[start, end)`, at most `samplesToNextAnalysis` of them, and returns true
   * when they completed a hop (then `bandPowers` holds the new analysis).
   */
  push(samples: Float32Array, start: number, end: number): boolean {
    if (end - start > this.samplesToNextAnalysis) {
      throw new RangeError(`BandAnalyzer: pushed ${end - start} samples past a hop boundary`);
    }
    const size = this.windowSamples;
    for (let i = start; i < end; i++) {
      this.history[this.writeIndex] = samples[i] as number;
      this.writeIndex = (this.writeIndex + 1) % size;
    }
    this.samplesSinceAnalysis += end - start;
    if (this.samplesSinceAnalysis < this.hopSamples) return false;
    this.samplesSinceAnalysis = 0;
    this.analyze();
    return true;
  }

  private analyze(): void {
    const size = this.windowSamples;
    for (let i = 0; i < size; i++) {
      this.windowed[i] = (this.history[(this.writeIndex + i) % size] as number) * (this.window[i] as number);
    }
    this.fft.realTransform(this.spectrum, this.windowed);
    this.bandPowers.fill(0);
    for (let k = 1; k < size / 2; k++) {
      const band = this.binBand[k] as number;
      if (band < 0) continue;
      const re = this.spectrum[2 * k] as number;
      const im = this.spectrum[2 * k + 1] as number;
      this.bandPowers[band] = (this.bandPowers[band] as number) + (re * re + im * im) * this.powerScale;
    }
  }

  reset(): void {
    this.history.fill(0);
    this.bandPowers.fill(0);
    this.writeIndex = 0;
    this.samplesSinceAnalysis = 0;
  }
}
