/**
 * The microphone half of the mute-feedback stage ("mask-in" in DESIGN.md): removes the
 * device's own output from the microphone, then lets the feedback guard silence what
 * is left of it, before denoise, VAD and recognition hear anything.
 *
 * The playback reference arrives on its own ring (`referenceRing`), pushed by the
 * speaker side with exactly the frames it hands to the speaker. One reference frame is
 * taken per microphone frame; when none is there (nothing played) the reference is
 * silence. Both rings run off the same device clock, so the offset between them is a
 * constant the canceller's delay estimator finds; a backlog beyond `maxBacklogMs`
 * (the microphone side stalled) is dropped and the estimator re-finds the delay.
 */
import { z } from 'zod';
import type { AudioFrame, SampleArray } from '../../bus/audio-frame.js';
import { RingBuffer, type RingDescriptor } from '../../bus/ring-buffer.js';
import { EchoCanceller } from '../../dsp/aec/echo-canceller.js';
import { fromFloatSamples, toFloatSamples } from '../../dsp/sample-format.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';
import { FeedbackGuard } from './feedback-guard.js';

export const EchoCancelOptionsSchema = z.strictObject({
  /** Where the speaker side pushes what it plays (16 kHz mono). Absent: no reference, nothing to cancel. */
  referenceRing: z.custom<RingDescriptor>((value) => typeof value === 'object' && value !== null).optional(),
  /**
   * One float per reference frame from the speaker side: 1 when that frame held English.
   * Without it, everything played counts as English (the guard guards it all).
   */
  englishFlagRing: z.custom<RingDescriptor>((value) => typeof value === 'object' && value !== null).optional(),
  /** Where the cleaned microphone is copied for the speaker side's masker (dropped when full). */
  tapRing: z.custom<RingDescriptor>((value) => typeof value === 'object' && value !== null).optional(),
  /** From the calibration profile's echo path, when measured. */
  initialDelayMs: z.number().min(0).max(500).optional(),
  /** From the calibration profile's echo path: the filters start from it (needs initialDelayMs). */
  initialImpulseResponse: z.array(z.number()).max(8192).optional(),
  /** Taps that response holds before the direct sound. */
  initialImpulseResponseLeadSamples: z.number().int().min(0).max(1024).default(0),
  filterLengthMs: z.number().min(16).max(512).default(128),
  maxDelayMs: z.number().min(0).max(500).default(300),
  guard: z.boolean().default(true),
  guardMarginDb: z.number().min(0).max(40).default(6),
  maxBacklogMs: z.number().min(20).max(2_000).default(200),
});
export type EchoCancelOptions = z.input<typeof EchoCancelOptionsSchema>;

export class EchoCancelStage implements Stage {
  readonly name = 'echo-cancel';
  private readonly options: z.output<typeof EchoCancelOptionsSchema>;
  private ctx: StageContext | undefined;
  private reference: RingBuffer | undefined;
  private tap: RingBuffer | undefined;
  private englishFlags: RingBuffer | undefined;
  private readonly flag = new Float32Array(1);
  /** Whether the reference frame just taken held English. */
  private englishPlayed = false;
  private canceller: EchoCanceller | undefined;
  private guard: FeedbackGuard | undefined;
  private micFloat = new Float32Array(0);
  private referenceFloat = new Float32Array(0);
  private referenceRaw: SampleArray = new Float32Array(0);
  private cleaned = new Float32Array(0);
  private output: SampleArray | undefined;
  private outputFrame: AudioFrame | undefined;
  /** Reference samples dropped because the microphone side fell behind. */
  droppedReferenceSamples = 0;
  /** False until the first microphone frame: what was played before it has no echo in the stream. */
  private aligned = false;

  constructor(options: EchoCancelOptions = {}) {
    this.options = EchoCancelOptionsSchema.parse(options);
  }

  get latencySamples(): number {
    return this.canceller?.latencySamples ?? 0;
  }

  start(ctx: StageContext): void {
    this.ctx = ctx;
    if (this.options.tapRing) this.tap = RingBuffer.attach(this.options.tapRing);
    if (this.options.englishFlagRing) this.englishFlags = RingBuffer.attach(this.options.englishFlagRing);
    if (this.options.referenceRing) this.reference = RingBuffer.attach(this.options.referenceRing);
    else ctx.logger.warn('echo-cancel: no playback reference ring; the microphone passes through uncancelled');
  }

  /** Buffers sized by the first frame; frames are fixed-size, so this happens once. */
  private prepare(frame: AudioFrame): EchoCanceller {
    const length = frame.samples.length;
    if (this.canceller && this.micFloat.length === length && this.output?.constructor === frame.samples.constructor) {
      return this.canceller;
    }
    const { initialDelayMs, filterLengthMs, maxDelayMs, initialImpulseResponse, initialImpulseResponseLeadSamples } =
      this.options;
    this.canceller = new EchoCanceller({
      frameSamples: length,
      initialDelayMs,
      filterLengthMs,
      maxDelayMs,
      ...(initialImpulseResponse && initialDelayMs !== undefined
        ? { initialImpulseResponse, initialImpulseResponseLeadSamples }
        : {}),
    });
    this.guard = this.options.guard
      ? new FeedbackGuard({ frameSamples: length, marginDb: this.options.guardMarginDb })
      : undefined;
    this.micFloat = new Float32Array(length);
    this.referenceFloat = new Float32Array(length);
    this.cleaned = new Float32Array(length);
    this.referenceRaw = this.reference?.kind === 'int16' ? new Int16Array(length) : new Float32Array(length);
    this.output = frame.samples instanceof Int16Array ? new Int16Array(length) : new Float32Array(length);
    this.outputFrame = { ...frame, samples: this.output };
    return this.canceller;
  }

  /** The reference frame played while this microphone frame was captured (silence if none). */
  private nextReference(length: number): Float32Array {
    const ring = this.reference;
    this.referenceFloat.fill(0);
    if (!ring) return this.referenceFloat;
    if (!this.aligned) {
      // The speaker may have started before the microphone: drop what it played until now,
      // or every later reference frame would arrive after its own echo.
      this.aligned = true;
      this.dropReference(length);
    }
    if (ring.availableRead() > Math.round((this.options.maxBacklogMs * 16_000) / 1000)) this.dropReference(length);
    this.englishPlayed = false;
    if (ring.availableRead() >= length) {
      ring.pop(this.referenceRaw, length);
      toFloatSamples(this.referenceRaw, this.referenceFloat);
      const flags = this.englishFlags;
      this.englishPlayed = flags ? flags.pop(this.flag, 1) === 1 && this.flag[0] === 1 : true;
    }
    return this.referenceFloat;
  }

  /**
   * Drop the reference backlog but its newest `keepSamples` (the frame played with the
   * microphone frame now being processed), with the matching English flags. This stage is
   * the consumer of both rings, so it may.
   */
  private dropReference(keepSamples: number): void {
    const ring = this.reference;
    if (!ring) return;
    while (ring.availableRead() > keepSamples) {
      const count = Math.min(this.referenceRaw.length, ring.availableRead() - keepSamples);
      this.droppedReferenceSamples += ring.pop(this.referenceRaw, count);
    }
    const flags = this.englishFlags;
    const keepFlags = Math.ceil(keepSamples / Math.max(1, this.referenceRaw.length));
    while (flags && flags.availableRead() > keepFlags) flags.pop(this.flag, 1);
  }

  process(frame: AudioFrame): void {
    const ctx = this.ctx;
    if (!ctx) throw new Error('echo-cancel stage: process() before start()');
    const canceller = this.prepare(frame);
    toFloatSamples(frame.samples, this.micFloat);
    const report = canceller.process(this.micFloat, this.nextReference(frame.samples.length), this.cleaned);
    this.guard?.apply(this.cleaned, report, this.englishPlayed);
    if (this.tap?.canPush(this.cleaned.length)) this.tap.push(this.cleaned);
    const output = this.output as SampleArray;
    fromFloatSamples(this.cleaned, output);
    const outputFrame = this.outputFrame as AudioFrame;
    outputFrame.seq = frame.seq;
    outputFrame.ptsSamples = frame.ptsSamples;
    outputFrame.utteranceId = frame.utteranceId;
    ctx.emit(outputFrame);
  }

  flush(): void {}

  /**
   * An interrupt (the worker dropped queued microphone audio) keeps the adapted echo path —
   * the acoustics did not change, and re-converging would let the echo through for a
   * second — but re-aligns the reference with the next microphone frame, since the
   * microphone samples it belonged to are gone.
   */
  reset(): void {
    this.aligned = false;
  }

  close(): void {}
}

export const createStage: StageFactory = (options) => new EchoCancelStage((options ?? {}) as EchoCancelOptions);
