/**
 * Recognition as a pipeline stage. It takes the utterance frames the VAD stage hands on
 * (tagged with their utterance id), feeds each utterance to its own recogniser stream, and
 * reports `transcript` events: partial hypotheses while the parent speaks, then the final
 * text. The utterance ends at the VAD's `speechEnd`; the stage finishes the stream once it
 * has processed the frames up to the reported end (or when the next utterance's frames
 * start, or at flush).
 *
 * Tags do not cross a ring, so the stage runs behind the VAD in the same worker (the
 * `chain` stage), where the VAD's frames and its end event arrive in order. Untagged
 * frames are ignored. The final decode is not awaited by `process`, but ONNX Runtime's
 * `run` holds the thread while it computes, so a long decode does delay the next frames.
 */
import { z } from 'zod';
import type { AudioFrame } from '../../bus/audio-frame.js';
import type { ControlEvent } from '../../control/control-event.js';
import { toFloatSamples } from '../../dsp/sample-format.js';
import type { AsrEngine, AsrHypothesis, AsrStream } from '../../engines/asr/asr-engine.js';
import { ASR_ENGINES, type AsrEngineChoice, loadAsrEngine } from '../../engines/asr/load-asr-engine.js';
import { SENSE_VOICE_LANGUAGES } from '../../engines/asr/sense-voice-engine.js';
import { openModelStore } from '../../models/index.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';

export const AsrStageOptionsSchema = z.strictObject({
  engine: z.enum(['auto', ...ASR_ENGINES]).default('auto'),
  language: z.enum(SENSE_VOICE_LANGUAGES).default('zh'),
  /** 0 turns partial hypotheses off. */
  partialIntervalMs: z.number().int().min(0).default(400),
});
export type AsrStageOptions = z.input<typeof AsrStageOptionsSchema>;

/** The `transcript` event the stage reports (partial and final). */
export interface TranscriptEvent extends AsrHypothesis {
  utteranceId: string;
}

interface OpenUtterance {
  utteranceId: string;
  stream: AsrStream;
  /** Stream position just past the last sample accepted. */
  receivedUpToSample: number;
  /** Set by speechEnd: finish once the audio up to here is in. */
  endSample?: number;
}

type EngineLoader = (options: z.output<typeof AsrStageOptionsSchema>, ctx: StageContext) => Promise<AsrEngine>;

const loadFromStore: EngineLoader = (options, ctx) =>
  loadAsrEngine(options.engine as AsrEngineChoice, openModelStore({ logger: ctx.logger }), {
    language: options.language,
    logger: ctx.logger,
  });

export class AsrStage implements Stage {
  readonly name = 'asr';
  private readonly options: z.output<typeof AsrStageOptionsSchema>;
  private ctx: StageContext | undefined;
  private engine: AsrEngine | undefined;
  private open: OpenUtterance | undefined;
  private readonly finishing = new Set<Promise<void>>();
  private floatSamples = new Float32Array(0);

  /** `loadEngine` is for tests; the pipeline builds the stage from options alone. */
  constructor(
    options: AsrStageOptions = {},
    private readonly loadEngine: EngineLoader = loadFromStore,
  ) {
    this.options = AsrStageOptionsSchema.parse(options);
  }

  async start(ctx: StageContext): Promise<void> {
    this.ctx = ctx;
    this.engine = await this.loadEngine(this.options, ctx);
    ctx.logger.info({ engine: this.engine.id }, 'recogniser loaded');
  }

  process(frame: AudioFrame): void {
    const { utteranceId } = frame;
    if (utteranceId === undefined) return;
    if (this.open && this.open.utteranceId !== utteranceId) this.finishOpen();
    const open = this.open ?? this.openUtterance(utteranceId);
    if (this.floatSamples.length !== frame.samples.length) this.floatSamples = new Float32Array(frame.samples.length);
    toFloatSamples(frame.samples, this.floatSamples);
    open.stream.accept(this.floatSamples);
    open.receivedUpToSample = frame.ptsSamples + frame.samples.length;
    if (open.endSample !== undefined && open.receivedUpToSample >= open.endSample) this.finishOpen();
  }

  onControl(event: ControlEvent): void {
    if (event.type !== 'speechEnd' || this.open?.utteranceId !== event.utteranceId) return;
    this.open.endSample = event.endSample;
    if (this.open.receivedUpToSample >= event.endSample) this.finishOpen();
  }

  async flush(): Promise<void> {
    this.finishOpen();
    await Promise.all(this.finishing);
  }

  reset(): void {
    this.open?.stream.cancel();
    this.open = undefined;
  }

  async close(): Promise<void> {
    this.reset();
    await Promise.allSettled(this.finishing);
    await this.engine?.dispose();
  }

  private openUtterance(utteranceId: string): OpenUtterance {
    const engine = this.engine;
    if (!engine) throw new Error('asr stage: process() before start()');
    const stream = engine.createStream({
      partialIntervalMs: this.options.partialIntervalMs,
      onPartial: (hypothesis) => this.report(utteranceId, hypothesis),
    });
    this.open = { utteranceId, stream, receivedUpToSample: 0 };
    return this.open;
  }

  private finishOpen(): void {
    const open = this.open;
    if (!open) return;
    this.open = undefined;
    const done = open.stream
      .finish()
      .then((final) => this.report(open.utteranceId, final))
      .catch((error: unknown) =>
        this.ctx?.logger.error({ err: error, utteranceId: open.utteranceId }, 'recognition failed'),
      )
      .finally(() => this.finishing.delete(done));
    this.finishing.add(done);
  }

  private report(utteranceId: string, hypothesis: AsrHypothesis): void {
    const event: TranscriptEvent = { utteranceId, ...hypothesis };
    this.ctx?.emitEvent('transcript', event);
  }
}

export const createStage: StageFactory = (options) => new AsrStage((options ?? {}) as AsrStageOptions);
