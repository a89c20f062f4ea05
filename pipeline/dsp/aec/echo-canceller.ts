/**
 * Acoustic echo canceller for the mask microphone: removes the chest speaker's English
 * from what the microphone hears. It composes
 *
 * - a bulk delay (GCC-PHAT `DelayEstimator`) that aligns a reference delay line, so the
 *   adaptive filter spends its taps on the response after the direct sound. A moved
 *   delay shifts the filters' taps rather than discarding them;
 * - two partitioned-block frequency-domain filters (PBFDAF/MDF with a Kalman step,
 *   `PartitionedBlockFilter`) in Speex's two-path arrangement (Valin 2007, after Ochiai
 *   et al. 1977): the background adapts on every far-end block; the foreground, which
 *   produces the output, takes a copy of the background only once the background's error
 *   has been lower for a while (longer during double talk), and a background that
 *   wanders off is put back. The background's Kalman step divides by its error power, so
 *   near-end speech slows it by itself; the echo leakage η (`LeakageEstimator`, Valin 2007)
 *   tells a path change from double talk and, when high, reopens the filter's variances;
 * - a `DoubleTalkDetector` (energy, coherence, leakage) that reports double talk and
 *   quarters the background's step while it lasts;
 * - a `ResidualEchoSuppressor` on a sqrt-Hann STFT of the foreground's error, driven by the
 *   residual echo the Kalman filter expects to leave.
 *
 * Blocks are 128 samples (8 ms, FFT 256); frames of any size are re-chunked internally.
 * `latencySamples` is the delay from a sample entering `process` (in `mic`) to it leaving
 * (in `out`): the re-chunking wait, max over frames of (k·frame mod 128) — 96 samples for
 * 160-sample frames, 64 for 320 — plus one 128-sample STFT hop when residual suppression
 * is on: 224 (14 ms) and 192 (12 ms). The filter itself is causal and adds none.
 *
 * Non-finite input samples (NaN, ±Infinity) are replaced by 0 before anything sees them,
 * and counted in `sanitizedSampleCount`; they never reach the filter state. A frame of the
 * wrong length is a RangeError. Nothing is allocated per frame.
 */
import FFT from 'fft.js';
import { SampleFifo } from '../sample-fifo.js';
import { SqrtHannStft } from '../stft.js';
import { DelayEstimator } from './delay-estimator.js';
import { DoubleTalkDetector } from './double-talk-detector.js';
import { LeakageEstimator } from './leakage-estimator.js';
import { type KalmanStep, PartitionedBlockFilter, ReferenceSpectra } from './partitioned-block-filter.js';
import { ResidualEchoSuppressor } from './residual-echo-suppressor.js';

export interface EchoCancellerOptions {
  /** 160 (10 ms) or 320 (20 ms) at 16 kHz; any positive integer works. */
  frameSamples: number;
  /** Adaptive tail after the bulk delay; default 128. */
  filterLengthMs?: number;
  /** Bulk-delay search range; default 300. */
  maxDelayMs?: number;
  /** From calibration's echoPath.delayMs when known. */
  initialDelayMs?: number;
  /**
   * From calibration's echoPath.impulseResponse: the measured path, starting
   * `initialImpulseResponseLeadSamples` taps before floor(initialDelayMs · 16). The filters start from it instead of from zero, so the canceller works from the
   * first block rather than after it has learnt the path (needs `initialDelayMs`).
   */
  initialImpulseResponse?: ArrayLike<number>;
  /** Taps the response holds before the direct sound (the calibration profile's: 16). */
  initialImpulseResponseLeadSamples?: number;
  /** Default true. */
  residualSuppression?: boolean;
}

export interface EchoFrameReport {
  /** Current bulk-delay estimate (direct sound behind the reference); 0 until one is known. */
  bulkDelaySamples: number;
  /** The reference had energy in the span the filter covers. */
  farEndActive: boolean;
  /** Near-end speech detected while the far end plays. */
  doubleTalk: boolean;
  /** Levels of this frame; −150 stands for digital silence. */
  micDbfs: number;
  outputDbfs: number;
  echoEstimateDbfs: number;
  /** The echo expected to remain in `out` after filter + RES. */
  residualEchoDbfs: number;
  /** Smoothed running ERLE of the linear filter (mic over error, far-end-only blocks). */
  erleDb: number;
}

export const SAMPLE_RATE_HZ = 16_000;
/** Adaptive-filter block (hop) N; the FFTs are 2N. */
export const BLOCK_SAMPLES = 128;
/** The filter window starts this long before the estimated direct sound (estimate error, sinc pre-ringing). */
const ALIGNMENT_MARGIN_SAMPLES = 64;
/**
 * Share of the prior variance a filter seeded from a calibrated response starts with
 * (measured on the three simulated paths: 0.02 gave the best first half second).
 */
const SEEDED_VARIANCE_SHARE = 0.02;
/** Re-align only when the direct sound has moved this far inside the window. */
const REALIGN_TOLERANCE_SAMPLES = 32;
/** Kalman step scale s (see partitioned-block-filter.ts)... */
const STEP_SCALE = 0.5;
/** ...times this while double talk is detected. */
const DOUBLE_TALK_STEP_FACTOR = 0.25;
/** Process noise q per block, as a share of |W|²... */
const PROCESS_NOISE = 1e-4;
/** ...plus this much per unit of echo leakage η above the knee, so a changed path is relearnt. */
const PROCESS_NOISE_PER_LEAKAGE = 1;
/** A converged filter shows η of 0.005–0.02 anyway (and double talk no more); above this it is a path change. */
const LEAKAGE_KNEE = 0.05;
/** Time constant of Ψ_s, the background's error power that the Kalman step divides by. */
const OBSERVATION_NOISE_SECONDS = 0.04;
/** The linear ERLE after which the filter counts as converged (double-talk detection starts). */
const CONVERGED_ERLE_DB = 20;
/** Reference mean square over the filter span above which the far end counts as active (−60 dBFS). */
const FAR_END_ACTIVE_MEAN_SQUARE = 1e-6;
/** Time constant of the foreground/background error comparison. */
const COMPARE_SECONDS = 0.04;
/** The background replaces the foreground when its error power is this share of the foreground's... */
const COPY_RATIO = 0.8;
/** ...or this share during double talk. */
const COPY_RATIO_DOUBLE_TALK = 0.5;
/** The background is reset to the foreground when its error power is this many times higher. */
const RESET_RATIO = 4;
/** Time constant of the reported ERLE. */
const ERLE_SECONDS = 0.25;
const SILENCE_DBFS = -150;

function toDbfs(meanSquare: number): number {
  return meanSquare > 0 ? Math.max(SILENCE_DBFS, 10 * Math.log10(meanSquare)) : SILENCE_DBFS;
}

/** The longest any sample waits for a full block when frames of `frameSamples` are cut into blocks. */
export function rechunkLatencySamples(frameSamples: number, blockSamples: number): number {
  let worst = 0;
  for (let k = 1; k <= blockSamples; k++) worst = Math.max(worst, (k * frameSamples) % blockSamples);
  return worst;
}

export class EchoCanceller {
  readonly frameSamples: number;
  readonly latencySamples: number;
  readonly filterLengthSamples: number;
  readonly maxDelaySamples: number;
  readonly residualSuppression: boolean;
  private readonly partitionCount: number;
  private readonly initialDelaySamples: number | undefined;
  /** The calibrated response laid out on the filter's taps (lag alignmentSamples + j), or undefined. */
  private initialTaps: Float64Array | undefined;

  private readonly reference: ReferenceSpectra;
  private readonly foreground: PartitionedBlockFilter;
  private readonly background: PartitionedBlockFilter;
  private readonly delayEstimator: DelayEstimator;
  private readonly leakage: LeakageEstimator;
  private readonly detector: DoubleTalkDetector;
  private readonly suppressor: ResidualEchoSuppressor;
  private readonly errorStft: SqrtHannStft;
  private readonly echoStft: SqrtHannStft;

  private readonly micFifo: SampleFifo;
  private readonly referenceFifo: SampleFifo;
  private readonly outFifo: SampleFifo;
  private readonly rechunkLatency: number;
  private readonly micFrame: Float32Array;
  private readonly referenceFrame: Float32Array;
  private readonly micBlock: Float32Array;
  private readonly referenceBlock: Float32Array;
  private readonly outBlock: Float32Array;
  private readonly alignedBlock: Float64Array;
  private readonly echoForeground: Float64Array;
  private readonly echoBackground: Float64Array;
  private readonly errorForeground32: Float32Array;
  private readonly echoForeground32: Float32Array;
  private readonly errorSpectrum: Float32Array;
  private readonly echoSpectrum: Float32Array;
  private readonly paddedBlock: Float64Array;
  private readonly transformed: Float64Array;
  private readonly errorSpectrumBackground: Float64Array;
  private readonly errorPowerBackground: Float64Array;
  private readonly echoPowerBackground: Float64Array;
  private readonly observationNoise: Float64Array;
  private readonly expectedResidual: Float64Array;
  private readonly kalmanStep: KalmanStep;
  private readonly noiseWeight: number;
  private readonly spanEnergies: Float64Array;
  private readonly history: Float64Array;
  private readonly historyMask: number;
  private readonly fft: FFT;
  private readonly compareWeight: number;
  private readonly erleWeight: number;
  private readonly powerToMeanSquare: number;

  /** Absolute index of the first sample of the next block. */
  private blockStart = 0;
  /** Reference delay in front of the filter: x[n] = ref[n − alignment]. */
  private alignmentSamples = 0;
  private bulkDelay = 0;
  /** False until calibration or the estimator gave a delay (the filter's prior is flat meanwhile). */
  private delayKnown = false;
  private spanEnergy = 0;
  private spanIndex = 0;
  private converged = false;
  private foregroundErrorAverage = 0;
  private backgroundErrorAverage = 0;
  private micAverage = 0;
  private errorAverage = 0;
  private erle = 0;
  private sanitized = 0;
  // Per-call accumulators.
  private callFarEnd = false;
  private callDoubleTalk = false;
  private callEchoEnergy = 0;
  private callResidualMeanSquare = 0;
  private callBlocks = 0;
  private readonly report: EchoFrameReport = {
    bulkDelaySamples: 0,
    farEndActive: false,
    doubleTalk: false,
    micDbfs: SILENCE_DBFS,
    outputDbfs: SILENCE_DBFS,
    echoEstimateDbfs: SILENCE_DBFS,
    residualEchoDbfs: SILENCE_DBFS,
    erleDb: 0,
  };

  constructor(options: EchoCancellerOptions) {
    const { frameSamples } = options;
    if (!Number.isInteger(frameSamples) || frameSamples < 1) {
      throw new RangeError(`EchoCanceller: frameSamples must be a positive integer, got ${frameSamples}`);
    }
    const filterLengthMs = options.filterLengthMs ?? 128;
    if (!(filterLengthMs > 0 && filterLengthMs <= 1000)) {
      throw new RangeError(`EchoCanceller: filterLengthMs must be in (0, 1000], got ${filterLengthMs}`);
    }
    const maxDelayMs = options.maxDelayMs ?? 300;
    if (!(maxDelayMs >= 0 && maxDelayMs <= 1000)) {
      throw new RangeError(`EchoCanceller: maxDelayMs must be in [0, 1000], got ${maxDelayMs}`);
    }
    if (
      options.initialDelayMs !== undefined &&
      !(options.initialDelayMs >= 0 && options.initialDelayMs <= maxDelayMs)
    ) {
      throw new RangeError(
        `EchoCanceller: initialDelayMs must be in [0, maxDelayMs = ${maxDelayMs}], got ${options.initialDelayMs}`,
      );
    }
    if (options.initialImpulseResponse !== undefined && options.initialDelayMs === undefined) {
      throw new RangeError('EchoCanceller: initialImpulseResponse starts at initialDelayMs; give both');
    }
    this.frameSamples = frameSamples;
    this.residualSuppression = options.residualSuppression ?? true;
    this.partitionCount = Math.ceil((filterLengthMs * SAMPLE_RATE_HZ) / 1000 / BLOCK_SAMPLES);
    this.filterLengthSamples = this.partitionCount * BLOCK_SAMPLES;
    this.maxDelaySamples = Math.round((maxDelayMs * SAMPLE_RATE_HZ) / 1000);
    this.initialDelaySamples =
      options.initialDelayMs === undefined ? undefined : Math.round((options.initialDelayMs * SAMPLE_RATE_HZ) / 1000);
    this.rechunkLatency = rechunkLatencySamples(frameSamples, BLOCK_SAMPLES);
    this.latencySamples = this.rechunkLatency + (this.residualSuppression ? BLOCK_SAMPLES : 0);

    if (options.initialImpulseResponse !== undefined && this.initialDelaySamples !== undefined) {
      const delayMs = options.initialDelayMs as number;
      const firstLag = Math.floor((delayMs * SAMPLE_RATE_HZ) / 1000) - (options.initialImpulseResponseLeadSamples ?? 0);
      const alignment = Math.max(0, this.initialDelaySamples - ALIGNMENT_MARGIN_SAMPLES);
      this.initialTaps = new Float64Array(this.filterLengthSamples);
      const response = options.initialImpulseResponse;
      for (let k = 0; k < response.length; k++) {
        const tap = firstLag - alignment + k;
        const value = response[k] as number;
        if (tap >= 0 && tap < this.initialTaps.length && Number.isFinite(value)) this.initialTaps[tap] = value;
      }
    }

    const shape = { blockSamples: BLOCK_SAMPLES, partitionCount: this.partitionCount };
    const blockSeconds = BLOCK_SAMPLES / SAMPLE_RATE_HZ;
    const binCount = BLOCK_SAMPLES + 1;
    this.reference = new ReferenceSpectra(shape);
    this.foreground = new PartitionedBlockFilter(shape);
    this.background = new PartitionedBlockFilter(shape);
    this.delayEstimator = new DelayEstimator({ maxDelaySamples: this.maxDelaySamples });
    this.leakage = new LeakageEstimator({ binCount, blockSeconds });
    this.detector = new DoubleTalkDetector({ binCount, blockSeconds });
    this.suppressor = new ResidualEchoSuppressor({ binCount, blockSeconds });
    this.errorStft = new SqrtHannStft(2 * BLOCK_SAMPLES);
    this.echoStft = new SqrtHannStft(2 * BLOCK_SAMPLES);
    this.fft = new FFT(2 * BLOCK_SAMPLES);

    this.micFifo = new SampleFifo(frameSamples + BLOCK_SAMPLES);
    this.referenceFifo = new SampleFifo(frameSamples + BLOCK_SAMPLES);
    this.outFifo = new SampleFifo(frameSamples + 2 * BLOCK_SAMPLES + this.rechunkLatency);
    this.micFrame = new Float32Array(frameSamples);
    this.referenceFrame = new Float32Array(frameSamples);
    this.micBlock = new Float32Array(BLOCK_SAMPLES);
    this.referenceBlock = new Float32Array(BLOCK_SAMPLES);
    this.outBlock = new Float32Array(BLOCK_SAMPLES);
    this.alignedBlock = new Float64Array(BLOCK_SAMPLES);
    this.echoForeground = new Float64Array(BLOCK_SAMPLES);
    this.echoBackground = new Float64Array(BLOCK_SAMPLES);
    this.errorForeground32 = new Float32Array(BLOCK_SAMPLES);
    this.echoForeground32 = new Float32Array(BLOCK_SAMPLES);
    this.errorSpectrum = new Float32Array(2 * binCount);
    this.echoSpectrum = new Float32Array(2 * binCount);
    this.paddedBlock = new Float64Array(2 * BLOCK_SAMPLES);
    this.transformed = new Float64Array(4 * BLOCK_SAMPLES);
    this.errorSpectrumBackground = new Float64Array(2 * binCount);
    this.errorPowerBackground = new Float64Array(binCount);
    this.echoPowerBackground = new Float64Array(binCount);
    this.observationNoise = new Float64Array(binCount);
    this.expectedResidual = new Float64Array(binCount);
    this.kalmanStep = { observationNoise: this.observationNoise, processNoise: PROCESS_NOISE, stepScale: STEP_SCALE };
    this.noiseWeight = 1 - Math.exp(-blockSeconds / OBSERVATION_NOISE_SECONDS);
    this.spanEnergies = new Float64Array(this.partitionCount);
    let historyLength = 1;
    while (historyLength < this.maxDelaySamples + (this.partitionCount + 2) * BLOCK_SAMPLES) historyLength *= 2;
    this.history = new Float64Array(historyLength);
    this.historyMask = historyLength - 1;
    this.compareWeight = 1 - Math.exp(-blockSeconds / COMPARE_SECONDS);
    this.erleWeight = 1 - Math.exp(-blockSeconds / ERLE_SECONDS);
    // Parseval for the sqrt-Hann STFT of size 2N: Σ_k|X|² (two-sided) = 2N · Σ(w·x)², Σw² = N.
    this.powerToMeanSquare = 1 / (2 * BLOCK_SAMPLES * BLOCK_SAMPLES);
    this.reset();
  }

  /** Non-finite input samples replaced by 0 so far. */
  get sanitizedSampleCount(): number {
    return this.sanitized;
  }

  /**
   * The foreground filter's estimate of the echo path, for diagnostics and tests (allocates):
   * `taps[j]` is the response at `startSamples + j` samples after the reference.
   */
  echoPathEstimate(): { startSamples: number; taps: Float32Array } {
    const taps = new Float32Array(this.filterLengthSamples);
    this.foreground.impulseResponse(taps);
    return { startSamples: this.alignmentSamples, taps };
  }

  /**
   * `mic` and `reference` are the same frame of time: reference = the samples handed to
   * the speaker while `mic` was captured. Writes the cleaned mic into `out` (delayed by
   * `latencySamples`). Returns a report object that is reused by the next call.
   */
  process(mic: Float32Array, reference: Float32Array, out: Float32Array): EchoFrameReport {
    const n = this.frameSamples;
    if (mic.length !== n) throw new RangeError(`EchoCanceller: mic frame: expected ${n} samples, got ${mic.length}`);
    if (reference.length !== n) {
      throw new RangeError(`EchoCanceller: reference frame: expected ${n} samples, got ${reference.length}`);
    }
    if (out.length !== n) throw new RangeError(`EchoCanceller: out frame: expected ${n} samples, got ${out.length}`);
    let micEnergy = 0;
    for (let i = 0; i < n; i++) {
      const m = this.sanitize(mic[i] as number);
      micEnergy += m * m;
      this.micFrame[i] = m;
      this.referenceFrame[i] = this.sanitize(reference[i] as number);
    }
    this.micFifo.push(this.micFrame);
    this.referenceFifo.push(this.referenceFrame);
    this.callFarEnd = false;
    this.callDoubleTalk = false;
    this.callEchoEnergy = 0;
    this.callResidualMeanSquare = 0;
    this.callBlocks = 0;
    while (this.micFifo.lengthSamples >= BLOCK_SAMPLES) {
      this.micFifo.popInto(this.micBlock);
      this.referenceFifo.popInto(this.referenceBlock);
      this.processBlock();
      this.outFifo.push(this.outBlock);
    }
    this.outFifo.popInto(out);
    let outEnergy = 0;
    for (let i = 0; i < n; i++) outEnergy += (out[i] as number) ** 2;

    const report = this.report;
    const blocks = Math.max(1, this.callBlocks);
    report.bulkDelaySamples = this.bulkDelay;
    report.farEndActive = this.callFarEnd;
    report.doubleTalk = this.callDoubleTalk;
    report.micDbfs = toDbfs(micEnergy / n);
    report.outputDbfs = toDbfs(outEnergy / n);
    report.echoEstimateDbfs = toDbfs(this.callEchoEnergy / (blocks * BLOCK_SAMPLES));
    report.residualEchoDbfs = toDbfs(this.callResidualMeanSquare / blocks);
    report.erleDb = this.erle;
    return report;
  }

  reset(): void {
    this.reference.reset();
    this.foreground.reset();
    this.background.reset();
    this.delayEstimator.reset();
    this.leakage.reset();
    this.detector.reset();
    this.suppressor.reset();
    this.errorStft.reset();
    this.echoStft.reset();
    this.micFifo.clear();
    this.referenceFifo.clear();
    this.outFifo.clear();
    this.outFifo.pushZeros(this.rechunkLatency);
    this.history.fill(0);
    this.spanEnergies.fill(0);
    this.spanEnergy = 0;
    this.spanIndex = 0;
    this.observationNoise.fill(0);
    this.blockStart = 0;
    this.bulkDelay = this.initialDelaySamples ?? 0;
    this.alignmentSamples =
      this.initialDelaySamples === undefined ? 0 : Math.max(0, this.initialDelaySamples - ALIGNMENT_MARGIN_SAMPLES);
    this.delayKnown = this.initialDelaySamples !== undefined;
    if (!this.delayKnown) {
      this.foreground.restartVariance('flat');
      this.background.restartVariance('flat');
    }
    if (this.initialTaps) {
      // A measured path is trusted: start with a fraction of the prior's uncertainty, so
      // the first blocks refine it rather than jump away from it.
      for (const filter of [this.foreground, this.background]) {
        filter.setImpulseResponse(this.initialTaps);
        filter.scaleVariance(SEEDED_VARIANCE_SHARE);
      }
    }
    this.converged = false;
    this.foregroundErrorAverage = 0;
    this.backgroundErrorAverage = 0;
    this.micAverage = 0;
    this.errorAverage = 0;
    this.erle = 0;
    this.sanitized = 0;
  }

  private sanitize(value: number): number {
    if (Number.isFinite(value)) return value;
    this.sanitized++;
    return 0;
  }

  private processBlock(): void {
    const N = BLOCK_SAMPLES;
    const { history, historyMask, alignedBlock, micBlock } = this;
    const start = this.blockStart;
    for (let i = 0; i < N; i++) history[(start + i) & historyMask] = this.referenceBlock[i] as number;
    this.fillAligned(start, alignedBlock);
    this.reference.push(alignedBlock);
    const farEndActive = this.updateSpan(alignedBlock);

    this.foreground.estimate(this.reference, this.echoForeground);
    this.background.estimate(this.reference, this.echoBackground);
    let micEnergy = 0;
    let foregroundEnergy = 0;
    let backgroundEnergy = 0;
    let echoEnergy = 0;
    for (let i = 0; i < N; i++) {
      const d = micBlock[i] as number;
      const yF = this.echoForeground[i] as number;
      const eF = d - yF;
      const eB = d - (this.echoBackground[i] as number);
      micEnergy += d * d;
      foregroundEnergy += eF * eF;
      backgroundEnergy += eB * eB;
      echoEnergy += yF * yF;
      this.errorForeground32[i] = eF;
      this.echoForeground32[i] = yF;
      this.paddedBlock[N + i] = eB;
    }
    if (!Number.isFinite(backgroundEnergy)) {
      // Cannot happen with sanitised input; if it ever does, the background is rebuilt.
      this.background.copyFrom(this.foreground);
      backgroundEnergy = foregroundEnergy;
      this.paddedBlock.fill(0);
    }

    this.errorStft.analyze(this.errorForeground32, this.errorSpectrum);
    this.echoStft.analyze(this.echoForeground32, this.echoSpectrum);
    const doubleTalk = this.detector.update(
      this.errorSpectrum,
      this.echoSpectrum,
      farEndActive,
      this.converged,
      this.leakage.leakage,
    );

    if (farEndActive) {
      this.adaptBackground(doubleTalk);
      this.superviseFilters(foregroundEnergy, backgroundEnergy, doubleTalk);
      if (!doubleTalk) {
        this.micAverage += this.erleWeight * (micEnergy - this.micAverage);
        this.errorAverage += this.erleWeight * (foregroundEnergy - this.errorAverage);
        if (this.errorAverage > 0 && this.micAverage > 0)
          this.erle = 10 * Math.log10(this.micAverage / this.errorAverage);
        if (this.erle >= CONVERGED_ERLE_DB) this.converged = true;
      }
    }

    this.foreground.predictedResidual(this.reference, this.expectedResidual);
    this.suppressor.process(this.errorSpectrum, this.echoSpectrum, this.expectedResidual, doubleTalk);
    if (this.residualSuppression) {
      this.errorStft.synthesize(this.errorSpectrum, this.outBlock);
      this.callResidualMeanSquare += this.suppressor.remainingEchoPower * this.powerToMeanSquare;
    } else {
      this.outBlock.set(this.errorForeground32);
      this.callResidualMeanSquare += this.suppressor.residualEchoPower * this.powerToMeanSquare;
    }
    this.callBlocks++;
    this.callEchoEnergy += echoEnergy;
    this.callFarEnd ||= farEndActive;
    this.callDoubleTalk ||= doubleTalk;

    this.blockStart = start + N;
    if (this.delayEstimator.push(this.referenceBlock, micBlock)) this.followDelay();
  }

  /** x[n] = ref[n − alignment] for the block starting at `start`. */
  private fillAligned(start: number, out: Float64Array): void {
    for (let i = 0; i < BLOCK_SAMPLES; i++) {
      const index = start + i - this.alignmentSamples;
      out[i] = index >= 0 ? (this.history[index & this.historyMask] as number) : 0;
    }
  }

  /** Keeps the reference energy of the last P aligned blocks; true when it is above the far-end threshold. */
  private updateSpan(aligned: Float64Array): boolean {
    let energy = 0;
    for (let i = 0; i < aligned.length; i++) energy += (aligned[i] as number) ** 2;
    this.spanEnergy += energy - (this.spanEnergies[this.spanIndex] as number);
    this.spanEnergies[this.spanIndex] = energy;
    this.spanIndex = (this.spanIndex + 1) % this.partitionCount;
    if (this.spanIndex === 0) {
      // Rebuild the running sum once per span so rounding cannot drift.
      this.spanEnergy = 0;
      for (let i = 0; i < this.partitionCount; i++) this.spanEnergy += this.spanEnergies[i] as number;
    }
    return this.spanEnergy / this.filterLengthSamples > FAR_END_ACTIVE_MEAN_SQUARE;
  }

  private adaptBackground(doubleTalk: boolean): void {
    const N = BLOCK_SAMPLES;
    const binCount = N + 1;
    const { paddedBlock, transformed, observationNoise } = this;
    // E = FFT([0…0, e_bg]); Ŷ = FFT([0…0, ŷ_bg]) for the leakage estimate.
    paddedBlock.fill(0, 0, N);
    this.fft.realTransform(transformed, paddedBlock);
    const a = this.noiseWeight;
    for (let k = 0; k < binCount; k++) {
      const re = transformed[2 * k] as number;
      const im = transformed[2 * k + 1] as number;
      const power = re * re + im * im;
      this.errorSpectrumBackground[2 * k] = re;
      this.errorSpectrumBackground[2 * k + 1] = im;
      this.errorPowerBackground[k] = power;
      observationNoise[k] = (observationNoise[k] as number) + a * (power - (observationNoise[k] as number));
    }
    paddedBlock.set(this.echoBackground, N);
    this.fft.realTransform(transformed, paddedBlock);
    for (let k = 0; k < binCount; k++) {
      this.echoPowerBackground[k] = (transformed[2 * k] as number) ** 2 + (transformed[2 * k + 1] as number) ** 2;
    }
    this.leakage.update(this.errorPowerBackground, this.echoPowerBackground);
    this.kalmanStep.processNoise =
      PROCESS_NOISE + PROCESS_NOISE_PER_LEAKAGE * Math.max(0, this.leakage.leakage - LEAKAGE_KNEE);
    this.kalmanStep.stepScale = STEP_SCALE * (doubleTalk ? DOUBLE_TALK_STEP_FACTOR : 1);
    this.background.adapt(this.reference, this.errorSpectrumBackground, this.kalmanStep);
  }

  private superviseFilters(foregroundEnergy: number, backgroundEnergy: number, doubleTalk: boolean): void {
    const w = this.compareWeight;
    this.foregroundErrorAverage += w * (foregroundEnergy - this.foregroundErrorAverage);
    this.backgroundErrorAverage += w * (backgroundEnergy - this.backgroundErrorAverage);
    const copyRatio = doubleTalk ? COPY_RATIO_DOUBLE_TALK : COPY_RATIO;
    if (this.backgroundErrorAverage < copyRatio * this.foregroundErrorAverage) {
      this.foreground.copyFrom(this.background);
      this.foregroundErrorAverage = this.backgroundErrorAverage;
    } else if (this.converged && this.backgroundErrorAverage > RESET_RATIO * this.foregroundErrorAverage) {
      this.background.copyFrom(this.foreground);
      this.backgroundErrorAverage = this.foregroundErrorAverage;
    }
  }

  /** Take a confirmed delay estimate; shift the filters and the reference line when it moved. */
  private followDelay(): void {
    const estimate = this.delayEstimator.delaySamples;
    if (estimate === undefined) return;
    this.bulkDelay = estimate;
    const target = Math.max(0, estimate - ALIGNMENT_MARGIN_SAMPLES);
    if (Math.abs(target - this.alignmentSamples) <= REALIGN_TOLERANCE_SAMPLES) {
      if (!this.delayKnown) {
        this.delayKnown = true;
        this.foreground.restartVariance('decaying');
        this.background.restartVariance('decaying');
      }
      return;
    }
    const shift = target - this.alignmentSamples;
    this.foreground.shiftTaps(shift);
    this.background.shiftTaps(shift);
    for (const filter of [this.foreground, this.background]) {
      // The first alignment ends the flat prior of an unknown delay. A later one means the
      // path moved: the shifted taps are kept (right, if only the delay changed) but every
      // variance goes back up to its prior, so whatever else changed is relearnt at once.
      if (this.delayKnown) filter.raiseVariance(1);
      else filter.restartVariance('decaying');
    }
    this.delayKnown = true;
    this.alignmentSamples = target;
    // Rebuild the reference spectra and span energies as the new alignment sees the past.
    this.reference.reset();
    this.spanEnergies.fill(0);
    this.spanEnergy = 0;
    this.spanIndex = 0;
    const end = this.blockStart;
    for (let j = this.partitionCount; j >= 0; j--) {
      const start = end - (j + 1) * BLOCK_SAMPLES;
      this.fillAligned(start, this.alignedBlock);
      this.reference.push(this.alignedBlock);
      if (j < this.partitionCount) this.updateSpan(this.alignedBlock);
    }
  }
}
