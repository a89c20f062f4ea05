/**
 * Endpointing over per-window speech probabilities: decides where an utterance starts
 * and ends. Pure and synchronous (no model, no clock), so tests drive it with scripted
 * probabilities. Positions are stream sample indices at 16 kHz.
 *
 * - Hysteresis: a window is speech at ≥ speechThreshold; once in speech, only a window
 *   below silenceThreshold counts as a pause (Silero's own recipe: threshold − 0.15).
 * - Start: confirmed once minSpeechMs of speech windows have been seen, reported at the
 *   first speech window; preRollStartSample reaches preRollMs further back.
 * - End: after trailingSilenceMs of pause, reported at the start of the pause.
 * - Maximum length: past maxUtteranceMs the utterance is cut at the next pause window;
 *   if no pause comes within maxPauseWaitMs more, it is cut where it stands.
 */
import { z } from 'zod';

export const EndpointerOptionsSchema = z.strictObject({
  speechThreshold: z.number().gt(0).lt(1).default(0.5),
  silenceThreshold: z.number().gt(0).lt(1).default(0.35),
  preRollMs: z.number().int().min(0).max(1_000).default(200),
  minSpeechMs: z.number().int().min(0).max(2_000).default(250),
  trailingSilenceMs: z.number().int().min(32).max(5_000).default(300),
  maxUtteranceMs: z.number().int().min(1_000).max(120_000).default(15_000),
  maxPauseWaitMs: z.number().int().min(0).max(30_000).default(3_000),
  sampleRate: z.number().int().positive().default(16_000),
});
export type EndpointerOptions = z.input<typeof EndpointerOptionsSchema>;

export type SpeechEndReason = 'silence' | 'maxLength' | 'endOfStream';

export type EndpointEvent =
  | { type: 'speechStart'; utteranceId: string; startSample: number; preRollStartSample: number }
  | {
      type: 'speechEnd';
      utteranceId: string;
      startSample: number;
      endSample: number;
      /** Where the stream was when the end was decided (endSample + the trailing silence, or so). */
      decidedAtSample: number;
      reason: SpeechEndReason;
    };

type Phase =
  | { kind: 'silence' }
  | { kind: 'candidate'; startSample: number; speechSamples: number; pauseStartSample: number | undefined }
  | { kind: 'speech'; utteranceId: string; startSample: number; pauseStartSample: number | undefined };

function msToSamples(ms: number, sampleRate: number): number {
  return Math.round((ms * sampleRate) / 1_000);
}

export class Endpointer {
  private readonly options: z.output<typeof EndpointerOptionsSchema>;
  private readonly preRollSamples: number;
  private readonly minSpeechSamples: number;
  private readonly trailingSilenceSamples: number;
  private readonly maxUtteranceSamples: number;
  private readonly maxPauseWaitSamples: number;
  private phase: Phase = { kind: 'silence' };
  private utteranceCount = 0;
  /** End of the last utterance: the next pre-roll never reaches back into it. */
  private lastEndSample = 0;

  constructor(
    options: EndpointerOptions = {},
    private readonly utteranceIdPrefix = 'utt-',
  ) {
    this.options = EndpointerOptionsSchema.parse(options);
    if (this.options.silenceThreshold > this.options.speechThreshold) {
      throw new RangeError(
        `endpointer: silenceThreshold (${this.options.silenceThreshold}) must not exceed speechThreshold (${this.options.speechThreshold})`,
      );
    }
    const rate = this.options.sampleRate;
    this.preRollSamples = msToSamples(this.options.preRollMs, rate);
    this.minSpeechSamples = msToSamples(this.options.minSpeechMs, rate);
    this.trailingSilenceSamples = msToSamples(this.options.trailingSilenceMs, rate);
    this.maxUtteranceSamples = msToSamples(this.options.maxUtteranceMs, rate);
    this.maxPauseWaitSamples = msToSamples(this.options.maxPauseWaitMs, rate);
  }

  get inSpeech(): boolean {
    return this.phase.kind === 'speech';
  }

  get currentUtteranceId(): string | undefined {
    return this.phase.kind === 'speech' ? this.phase.utteranceId : undefined;
  }

  /**
   * Feed the probability for the window [startSample, startSample + lengthSamples).
   * Returns the events this window caused (usually none).
   */
  accept(probability: number, startSample: number, lengthSamples: number): EndpointEvent[] {
    const endSample = startSample + lengthSamples;
    const { speechThreshold, silenceThreshold } = this.options;
    const phase = this.phase;
    switch (phase.kind) {
      case 'silence':
        if (probability >= speechThreshold) {
          this.phase = { kind: 'candidate', startSample, speechSamples: lengthSamples, pauseStartSample: undefined };
          return this.confirmIfLongEnough();
        }
        return [];
      case 'candidate':
        if (probability >= silenceThreshold) {
          phase.speechSamples += lengthSamples;
          phase.pauseStartSample = undefined;
          return this.confirmIfLongEnough();
        }
        phase.pauseStartSample ??= startSample;
        // A blip too short to be speech: forget it once the pause is as long as an end would need.
        if (endSample - phase.pauseStartSample >= this.trailingSilenceSamples) this.phase = { kind: 'silence' };
        return [];
      case 'speech':
        return this.acceptInSpeech(phase, probability, startSample, endSample);
    }
  }

  private acceptInSpeech(
    phase: Extract<Phase, { kind: 'speech' }>,
    probability: number,
    startSample: number,
    endSample: number,
  ): EndpointEvent[] {
    const isPause = probability < this.options.silenceThreshold;
    if (isPause) phase.pauseStartSample ??= startSample;
    else phase.pauseStartSample = undefined;
    const lengthSamples = endSample - phase.startSample;
    if (lengthSamples >= this.maxUtteranceSamples) {
      if (isPause) return [this.end(phase, phase.pauseStartSample ?? startSample, endSample, 'maxLength')];
      if (lengthSamples >= this.maxUtteranceSamples + this.maxPauseWaitSamples) {
        return [this.end(phase, endSample, endSample, 'maxLength')];
      }
    }
    if (phase.pauseStartSample !== undefined && endSample - phase.pauseStartSample >= this.trailingSilenceSamples) {
      return [this.end(phase, phase.pauseStartSample, endSample, 'silence')];
    }
    return [];
  }

  /** End of input: close an open utterance at its last speech. */
  finish(streamEndSample: number): EndpointEvent[] {
    const phase = this.phase;
    if (phase.kind === 'candidate') this.phase = { kind: 'silence' };
    if (phase.kind !== 'speech') return [];
    return [this.end(phase, phase.pauseStartSample ?? streamEndSample, streamEndSample, 'endOfStream')];
  }

  /** Forget any utterance in progress without reporting it (interrupt). */
  reset(): void {
    this.phase = { kind: 'silence' };
  }

  private confirmIfLongEnough(): EndpointEvent[] {
    const phase = this.phase;
    if (phase.kind !== 'candidate' || phase.speechSamples < this.minSpeechSamples) return [];
    this.utteranceCount += 1;
    const utteranceId = `${this.utteranceIdPrefix}${this.utteranceCount}`;
    this.phase = {
      kind: 'speech',
      utteranceId,
      startSample: phase.startSample,
      pauseStartSample: phase.pauseStartSample,
    };
    const preRollStartSample = Math.max(this.lastEndSample, phase.startSample - this.preRollSamples, 0);
    return [{ type: 'speechStart', utteranceId, startSample: phase.startSample, preRollStartSample }];
  }

  private end(
    phase: Extract<Phase, { kind: 'speech' }>,
    endSample: number,
    decidedAtSample: number,
    reason: SpeechEndReason,
  ): EndpointEvent {
    this.phase = { kind: 'silence' };
    this.lastEndSample = endSample;
    const { utteranceId, startSample } = phase;
    return { type: 'speechEnd', utteranceId, startSample, endSample, decidedAtSample, reason };
  }
}
