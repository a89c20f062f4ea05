/**
 * Partitioned-block frequency-domain adaptive filter (PBFDAF, Soo & Pang 1990; the
 * multidelay filter "MDF" of Speex, Valin 2007) whose per-bin step is the gain of a
 * diagonalised frequency-domain Kalman filter (Enzner & Vary 2006; the partitioned form of
 * Kuech, Mabande & Enzner 2014).
 *
 * A FIR of `partitionCount · blockSamples` taps is cut into partitions of one block; each
 * is a frequency-domain filter W_p(k) of FFT size 2N applied by overlap-save to the
 * spectrum X_p of the reference block p blocks ago. Each coefficient carries a variance
 * Ψ_p(k) (how unsure the filter is of it). With E the error spectrum (FFT of [N zeros, e])
 * and Ψ_s(k) the power of what the filter cannot model (near-end speech, noise):
 *
 *   μ_p(k) = s · Ψ_p(k) / (½ Σ_q |X_q(k)|² Ψ_q(k) + Ψ_s(k))     (an NLMS step, normalised per bin)
 *   W_p   += constrain(μ_p · conj(X_p) · E)                        (gradient constraint on every partition)
 *   Ψ_p   ← (1 − ½ μ_p |X_p|²) Ψ_p + q·|W_p|²                       (observation, then process noise)
 *
 * The ½ is the share of a 2N-point spectrum's power the N-sample error window keeps. Why
 * Kalman rather than a fixed NLMS step: a bin the far end has never excited keeps a large
 * Ψ and so learns at full speed the first time it is excited (English fricatives reach
 * bins that vowels never do); a well-known bin takes small, low-noise steps; and near-end
 * speech, which raises Ψ_s, shrinks the step by itself. The prior Ψ falls by
 * `priorDecayDbPerPartition` per partition, like a room's decay, so early partitions (the
 * direct sound) learn first; `s` < 1 offsets the optimism of the diagonal approximation
 * (it ignores how alike neighbouring blocks of speech are). ½ Σ_p |X_p|² Ψ_p is also the
 * residual echo the filter expects to leave (`predictedResidual`), used by the suppressor.
 *
 * `ReferenceSpectra` holds the last P reference spectra, shared by the foreground and
 * background filters. All buffers are allocated in the constructors.
 */
import FFT from 'fft.js';

export interface PartitionedFilterShape {
  /** Block (hop) length N; the FFT is 2N. A power of two. */
  blockSamples: number;
  /** Partitions P; the filter is P·N taps long. */
  partitionCount: number;
}

function checkShape({ blockSamples, partitionCount }: PartitionedFilterShape): void {
  if (!Number.isInteger(blockSamples) || blockSamples < 4 || (blockSamples & (blockSamples - 1)) !== 0) {
    throw new RangeError(`partitioned filter: blockSamples must be a power of two >= 4, got ${blockSamples}`);
  }
  if (!Number.isInteger(partitionCount) || partitionCount < 1) {
    throw new RangeError(`partitioned filter: partitionCount must be a positive integer, got ${partitionCount}`);
  }
}

/** Writes the Hermitian completion of a half spectrum (`binCount` pairs) into a full complex array. */
function completeFromHalf(half: Float64Array, halfOffset: number, full: Float64Array, fftSize: number): void {
  const binCount = fftSize / 2 + 1;
  for (let i = 0; i < binCount * 2; i++) full[i] = half[halfOffset + i] as number;
  for (let k = 1; k < binCount - 1; k++) {
    full[2 * (fftSize - k)] = half[halfOffset + 2 * k] as number;
    full[2 * (fftSize - k) + 1] = -(half[halfOffset + 2 * k + 1] as number);
  }
  full[1] = 0;
  full[2 * (binCount - 1) + 1] = 0;
}

/** Spectra of the last P blocks of the (delay-aligned) reference, newest first. */
export class ReferenceSpectra {
  readonly blockSamples: number;
  readonly fftSize: number;
  readonly binCount: number;
  readonly partitionCount: number;
  private readonly spectra: Float64Array;
  private readonly powers: Float64Array;
  private newest = 0;
  private readonly fft: FFT;
  /** The last 2N reference samples, oldest first. */
  private readonly window: Float64Array;
  private readonly transformed: Float64Array;

  constructor(shape: PartitionedFilterShape) {
    checkShape(shape);
    this.blockSamples = shape.blockSamples;
    this.partitionCount = shape.partitionCount;
    this.fftSize = 2 * shape.blockSamples;
    this.binCount = shape.blockSamples + 1;
    this.spectra = new Float64Array(this.partitionCount * 2 * this.binCount);
    this.powers = new Float64Array(this.partitionCount * this.binCount);
    this.fft = new FFT(this.fftSize);
    this.window = new Float64Array(this.fftSize);
    this.transformed = new Float64Array(2 * this.fftSize);
  }

  /** Offset into `data` of partition p's spectrum (p = 0: the newest block). */
  offsetOf(partition: number): number {
    const slot = (this.newest - partition + this.partitionCount) % this.partitionCount;
    return slot * 2 * this.binCount;
  }

  /** The interleaved (re, im) spectra; index with `offsetOf`. */
  get data(): Float64Array {
    return this.spectra;
  }

  /** |X_p(k)|², partition-major; partition p starts at `offsetOf(p) / 2`. */
  get powerData(): Float64Array {
    return this.powers;
  }

  /** Append one block of N reference samples: its spectrum (of the last 2N samples) becomes partition 0. */
  push(block: Float64Array): void {
    const { blockSamples, binCount, partitionCount } = this;
    if (block.length !== blockSamples) {
      throw new RangeError(`reference block: expected ${blockSamples} samples, got ${block.length}`);
    }
    this.window.copyWithin(0, blockSamples);
    this.window.set(block, blockSamples);
    this.fft.realTransform(this.transformed, this.window);
    this.newest = (this.newest + 1) % partitionCount;
    const offset = this.newest * 2 * binCount;
    const powerOffset = this.newest * binCount;
    for (let k = 0; k < binCount; k++) {
      const re = this.transformed[2 * k] as number;
      const im = this.transformed[2 * k + 1] as number;
      this.spectra[offset + 2 * k] = re;
      this.spectra[offset + 2 * k + 1] = im;
      this.powers[powerOffset + k] = re * re + im * im;
    }
  }

  reset(): void {
    this.spectra.fill(0);
    this.powers.fill(0);
    this.window.fill(0);
    this.newest = 0;
  }
}

export interface KalmanStep {
  /** Ψ_s(k), the power of what the filter cannot model, in the units of |E(k)|². */
  observationNoise: Float64Array;
  /** q: process noise per block as a share of |W_p(k)|² (how fast the path may drift). */
  processNoise: number;
  /** s: overall step scale (0 freezes the filter). */
  stepScale: number;
}

export interface PartitionedFilterOptions extends PartitionedFilterShape {
  /** Prior variance of the first partition's coefficients (default 1: a path up to 0 dB). */
  priorVariance?: number;
  /** How much smaller the prior is per later partition (default 3 dB). */
  priorDecayDbPerPartition?: number;
}

/** Keeps Ψ from collapsing to zero, so a filter never stops listening entirely. */
const MIN_VARIANCE = 1e-10;

export class PartitionedBlockFilter {
  readonly blockSamples: number;
  readonly partitionCount: number;
  readonly fftSize: number;
  readonly binCount: number;
  /** W_p(k), interleaved (re, im), partition-major; partition 0 applies to the newest block. */
  readonly coefficients: Float64Array;
  /** Ψ_p(k), partition-major. */
  readonly variance: Float64Array;
  private readonly prior: Float64Array;
  private readonly fft: FFT;
  private readonly product: Float64Array;
  private readonly fullSpectrum: Float64Array;
  private readonly timeDomain: Float64Array;
  private readonly realScratch: Float64Array;
  private readonly gradient: Float64Array;
  private readonly denominator: Float64Array;
  private readonly taps: Float64Array;

  constructor(options: PartitionedFilterOptions) {
    checkShape(options);
    this.blockSamples = options.blockSamples;
    this.partitionCount = options.partitionCount;
    this.fftSize = 2 * options.blockSamples;
    this.binCount = options.blockSamples + 1;
    this.coefficients = new Float64Array(this.partitionCount * 2 * this.binCount);
    this.variance = new Float64Array(this.partitionCount * this.binCount);
    this.prior = new Float64Array(this.partitionCount);
    const priorVariance = options.priorVariance ?? 1;
    const decayDb = options.priorDecayDbPerPartition ?? 3;
    if (!(priorVariance > 0))
      throw new RangeError(`partitioned filter: priorVariance must be > 0, got ${priorVariance}`);
    for (let p = 0; p < this.partitionCount; p++) this.prior[p] = priorVariance * 10 ** ((-decayDb * p) / 10);
    this.fft = new FFT(this.fftSize);
    this.product = new Float64Array(2 * this.binCount);
    this.fullSpectrum = new Float64Array(2 * this.fftSize);
    this.timeDomain = new Float64Array(2 * this.fftSize);
    this.realScratch = new Float64Array(this.fftSize);
    this.gradient = new Float64Array(2 * this.binCount);
    this.denominator = new Float64Array(this.binCount);
    this.taps = new Float64Array(this.partitionCount * this.blockSamples);
    this.reset();
  }

  get lengthSamples(): number {
    return this.partitionCount * this.blockSamples;
  }

  /** The echo estimate for the newest block: Y = Σ_p W_p X_p, last N samples of its inverse FFT. */
  estimate(reference: ReferenceSpectra, echoOut: Float64Array): void {
    this.checkReference(reference);
    const { binCount, partitionCount, coefficients, product } = this;
    const spectra = reference.data;
    product.fill(0);
    for (let p = 0; p < partitionCount; p++) {
      const x = reference.offsetOf(p);
      const w = p * 2 * binCount;
      for (let k = 0; k < 2 * binCount; k += 2) {
        const xRe = spectra[x + k] as number;
        const xIm = spectra[x + k + 1] as number;
        const wRe = coefficients[w + k] as number;
        const wIm = coefficients[w + k + 1] as number;
        product[k] = (product[k] as number) + wRe * xRe - wIm * xIm;
        product[k + 1] = (product[k + 1] as number) + wRe * xIm + wIm * xRe;
      }
    }
    completeFromHalf(product, 0, this.fullSpectrum, this.fftSize);
    this.fft.inverseTransform(this.timeDomain, this.fullSpectrum);
    const n = this.blockSamples;
    for (let i = 0; i < n; i++) echoOut[i] = this.timeDomain[2 * (n + i)] as number;
  }

  /** ½ Σ_p |X_p(k)|² Ψ_p(k): the residual echo power per bin the filter expects to leave in E. */
  predictedResidual(reference: ReferenceSpectra, out: Float64Array): void {
    this.checkReference(reference);
    const { binCount, partitionCount, variance } = this;
    if (out.length !== binCount)
      throw new RangeError(`predicted residual: expected ${binCount} bins, got ${out.length}`);
    const powers = reference.powerData;
    out.fill(0);
    for (let p = 0; p < partitionCount; p++) {
      const power = reference.offsetOf(p) / 2;
      const v = p * binCount;
      for (let k = 0; k < binCount; k++) {
        out[k] = (out[k] as number) + 0.5 * (powers[power + k] as number) * (variance[v + k] as number);
      }
    }
  }

  /** One Kalman update from `errorSpectrum` = FFT of [N zeros, e] (`binCount` interleaved pairs). */
  adapt(reference: ReferenceSpectra, errorSpectrum: Float64Array, step: KalmanStep): void {
    this.checkReference(reference);
    const { binCount, partitionCount, coefficients, gradient, variance, denominator } = this;
    const { observationNoise, processNoise, stepScale } = step;
    if (observationNoise.length !== binCount || errorSpectrum.length !== 2 * binCount) {
      throw new RangeError(
        `partitioned filter: expected ${binCount} bins, got noise ${observationNoise.length} and error ${errorSpectrum.length / 2}`,
      );
    }
    const spectra = reference.data;
    const powers = reference.powerData;
    this.predictedResidual(reference, denominator);
    for (let k = 0; k < binCount; k++)
      denominator[k] = (denominator[k] as number) + (observationNoise[k] as number) + 1e-30;
    for (let p = 0; p < partitionCount; p++) {
      const x = reference.offsetOf(p);
      const power = x / 2;
      const v = p * binCount;
      for (let k = 0; k < binCount; k++) {
        const mu = (stepScale * (variance[v + k] as number)) / (denominator[k] as number);
        const xRe = spectra[x + 2 * k] as number;
        const xIm = spectra[x + 2 * k + 1] as number;
        const eRe = errorSpectrum[2 * k] as number;
        const eIm = errorSpectrum[2 * k + 1] as number;
        // μ·conj(X)·E
        gradient[2 * k] = mu * (xRe * eRe + xIm * eIm);
        gradient[2 * k + 1] = mu * (xRe * eIm - xIm * eRe);
        variance[v + k] = Math.max(0, 1 - 0.5 * mu * (powers[power + k] as number)) * (variance[v + k] as number);
      }
      this.constrain(gradient);
      const w = p * 2 * binCount;
      for (let k = 0; k < binCount; k++) {
        const re = (coefficients[w + 2 * k] as number) + (gradient[2 * k] as number);
        const im = (coefficients[w + 2 * k + 1] as number) + (gradient[2 * k + 1] as number);
        coefficients[w + 2 * k] = re;
        coefficients[w + 2 * k + 1] = im;
        variance[v + k] = (variance[v + k] as number) + processNoise * (re * re + im * im) + MIN_VARIANCE;
      }
    }
  }

  /** Take the other filter's coefficients and variances. */
  copyFrom(other: PartitionedBlockFilter): void {
    if (other.coefficients.length !== this.coefficients.length) {
      throw new RangeError(
        `partitioned filter: cannot copy ${other.coefficients.length} coefficients into ${this.coefficients.length}`,
      );
    }
    this.coefficients.set(other.coefficients);
    this.variance.set(other.variance);
  }

  /** Zero coefficients, prior variances. */
  reset(): void {
    this.coefficients.fill(0);
    this.restartVariance('decaying');
  }

  /**
   * Set every variance back to its prior: `decaying` (the direct sound is at the start of
   * the filter) or `flat` (it may be anywhere: the bulk delay is not known yet).
   */
  restartVariance(shape: 'decaying' | 'flat'): void {
    for (let p = 0; p < this.partitionCount; p++) {
      const prior = (shape === 'flat' ? this.prior[0] : this.prior[p]) as number;
      this.variance.fill(prior, p * this.binCount, (p + 1) * this.binCount);
    }
  }

  /** Raise every variance to at least `share` of its prior (after a change the filter should relearn). */
  raiseVariance(share: number): void {
    for (let p = 0; p < this.partitionCount; p++) {
      const floor = share * (this.prior[p] as number);
      for (let i = p * this.binCount; i < (p + 1) * this.binCount; i++) {
        if ((this.variance[i] as number) < floor) this.variance[i] = floor;
      }
    }
  }

  /** Scale every variance by `factor` (< 1: the taps are trusted, e.g. seeded from a measurement). */
  scaleVariance(factor: number): void {
    for (let i = 0; i < this.variance.length; i++) this.variance[i] = (this.variance[i] as number) * factor;
  }

  /** True when every coefficient and variance is finite (a guard against a poisoned state). */
  isFinite(): boolean {
    for (let i = 0; i < this.coefficients.length; i++)
      if (!Number.isFinite(this.coefficients[i] as number)) return false;
    for (let i = 0; i < this.variance.length; i++) if (!Number.isFinite(this.variance[i] as number)) return false;
    return true;
  }

  /** The time-domain taps (P·N). */
  impulseResponse(out: Float64Array | Float32Array): void {
    if (out.length !== this.lengthSamples) {
      throw new RangeError(`impulse response: expected ${this.lengthSamples} samples, got ${out.length}`);
    }
    this.readTaps();
    out.set(this.taps);
  }

  /** Set the taps from a time-domain response (up to P·N samples; shorter ones are zero-padded). */
  setImpulseResponse(response: ArrayLike<number>): void {
    if (response.length > this.lengthSamples) {
      throw new RangeError(`impulse response: at most ${this.lengthSamples} samples, got ${response.length}`);
    }
    this.taps.fill(0);
    for (let i = 0; i < response.length; i++) this.taps[i] = response[i] as number;
    this.writeTaps();
  }

  /**
   * Move the response `shiftSamples` earlier (h'[j] = h[j + shift]; negative: later), for
   * when the bulk delay in front of the filter grows by `shiftSamples`. Taps pushed off
   * either end are dropped and the rest kept, so a converged filter stays converged; the
   * variances move by whole partitions, and those that come in take the prior.
   */
  shiftTaps(shiftSamples: number): void {
    if (!Number.isInteger(shiftSamples)) throw new RangeError(`shiftTaps: expected an integer, got ${shiftSamples}`);
    if (shiftSamples === 0) return;
    this.readTaps();
    const { taps, variance, binCount, partitionCount } = this;
    const length = taps.length;
    if (shiftSamples > 0) {
      taps.copyWithin(0, Math.min(shiftSamples, length));
      taps.fill(0, Math.max(0, length - shiftSamples));
    } else {
      taps.copyWithin(Math.min(-shiftSamples, length), 0);
      taps.fill(0, 0, Math.min(-shiftSamples, length));
    }
    this.writeTaps();
    const partitions = Math.min(partitionCount, Math.round(Math.abs(shiftSamples) / this.blockSamples));
    if (partitions === 0) return;
    if (shiftSamples > 0) {
      variance.copyWithin(0, partitions * binCount);
      for (let p = partitionCount - partitions; p < partitionCount; p++) {
        variance.fill(this.prior[p] as number, p * binCount, (p + 1) * binCount);
      }
    } else {
      variance.copyWithin(partitions * binCount, 0, (partitionCount - partitions) * binCount);
      for (let p = 0; p < partitions; p++) variance.fill(this.prior[p] as number, p * binCount, (p + 1) * binCount);
    }
  }

  private readTaps(): void {
    const { binCount, blockSamples, partitionCount } = this;
    for (let p = 0; p < partitionCount; p++) {
      completeFromHalf(this.coefficients, p * 2 * binCount, this.fullSpectrum, this.fftSize);
      this.fft.inverseTransform(this.timeDomain, this.fullSpectrum);
      for (let i = 0; i < blockSamples; i++) this.taps[p * blockSamples + i] = this.timeDomain[2 * i] as number;
    }
  }

  private writeTaps(): void {
    const { binCount, blockSamples, partitionCount } = this;
    for (let p = 0; p < partitionCount; p++) {
      this.realScratch.fill(0);
      for (let i = 0; i < blockSamples; i++) this.realScratch[i] = this.taps[p * blockSamples + i] as number;
      this.fft.realTransform(this.timeDomain, this.realScratch);
      const w = p * 2 * binCount;
      for (let i = 0; i < 2 * binCount; i++) this.coefficients[w + i] = this.timeDomain[i] as number;
    }
  }

  /** Zero the second half of the gradient's impulse response (linear, not circular, correlation). */
  private constrain(gradient: Float64Array): void {
    completeFromHalf(gradient, 0, this.fullSpectrum, this.fftSize);
    this.fft.inverseTransform(this.timeDomain, this.fullSpectrum);
    const n = this.blockSamples;
    for (let i = 0; i < n; i++) this.realScratch[i] = this.timeDomain[2 * i] as number;
    this.realScratch.fill(0, n);
    this.fft.realTransform(this.timeDomain, this.realScratch);
    for (let i = 0; i < 2 * this.binCount; i++) gradient[i] = this.timeDomain[i] as number;
  }

  private checkReference(reference: ReferenceSpectra): void {
    if (reference.blockSamples !== this.blockSamples || reference.partitionCount !== this.partitionCount) {
      throw new RangeError(
        `partitioned filter: reference spectra are ${reference.partitionCount}×${reference.blockSamples}, filter is ${this.partitionCount}×${this.blockSamples}`,
      );
    }
  }
}
