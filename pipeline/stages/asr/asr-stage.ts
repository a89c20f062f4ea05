/**
 * Recognition as a pipeline stage. It takes the utterance frames the VAD stage hands on,
 * feeds each utterance to its own recogniser stream, and reports `transcript` events:
 * partial hypotheses while the parent speaks, then the final text.
 *
 * Which utterance a frame belongs to: in the same thread the VAD tags its frames; across a
 * ring the tag is lost, and the frame's position (samples consumed from the ring, i.e. the
 * VAD's output) is looked up among the utterances the VAD announced on the control lane
 * (`speechStart.outputStartSample` … `speechEnd.outputEndSample`). The lane runs ahead of
 * the audio, so an utterance is finished once the frames up to its reported end have been
 * processed (or when the next utterance's frames start, or at flush). Decoding never blocks
 * the frame loop: final decodes run while the next frames arrive.
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

/**
 * Frame positions are either the original stream's (tagged frames, same thread) or the
 * VAD output's (frames read from a ring); an utterance's end is compared in the same kind.
 */
type PositionKind = 'stream' | 'output';

interface OpenUtterance {
  utteranceId: string;
  positions: PositionKind;
  stream: AsrStream;
  /** Position just past the last sample accepted. */
  receivedUpToSample: number;
  /** Set by speechEnd: finish once the audio up to here is in. */
  endSample?: number;
}

/** An utterance the VAD announced on the lane, by its place in the VAD's output. */
interface AnnouncedUtterance {
  utteranceId: string;
  outputStartSample: number;
  outputEndSample?: number;
  /** The end in stream positions, for tagged frames. */
  streamEndSample?: number;
}

const MAX_ANNOUNCED = 16;

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
  private readonly announced: AnnouncedUtterance[] = [];
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
    const positions: PositionKind = frame.utteranceId === undefined ? 'output' : 'stream';
    const utteranceId = frame.utteranceId ?? this.announcedAt(frame.ptsSamples)?.utteranceId;
    if (utteranceId === undefined) return;
    if (this.open && this.open.utteranceId !== utteranceId) this.finishOpen();
    const open = this.open ?? this.openUtterance(utteranceId, positions);
    if (this.floatSamples.length !== frame.samples.length) this.floatSamples = new Float32Array(frame.samples.length);
    toFloatSamples(frame.samples, this.floatSamples);
    open.stream.accept(this.floatSamples);
    open.receivedUpToSample = frame.ptsSamples + frame.samples.length;
    if (open.endSample !== undefined && open.receivedUpToSample >= open.endSample) this.finishOpen();
  }

  onControl(event: ControlEvent): void {
    if (event.type === 'speechStart' && event.outputStartSample !== undefined) {
      this.announced.push({ utteranceId: event.utteranceId, outputStartSample: event.outputStartSample });
      if (this.announced.length > MAX_ANNOUNCED) this.announced.shift();
    }
    if (event.type !== 'speechEnd') return;
    const announced = this.announced.find((a) => a.utteranceId === event.utteranceId);
    if (announced) {
      announced.streamEndSample = event.endSample;
      if (event.outputEndSample !== undefined) announced.outputEndSample = event.outputEndSample;
    }
    const open = this.open;
    if (open?.utteranceId !== event.utteranceId) return;
    open.endSample = open.positions === 'stream' ? event.endSample : event.outputEndSample;
    if (open.endSample !== undefined && open.receivedUpToSample >= open.endSample) this.finishOpen();
  }

  /** The announced utterance whose output span holds `outputSample`. */
  private announcedAt(outputSample: number): AnnouncedUtterance | undefined {
    return this.announced.findLast(
      (a) =>
        a.outputStartSample <= outputSample && (a.outputEndSample === undefined || outputSample < a.outputEndSample),
    );
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

  private openUtterance(utteranceId: string, positions: PositionKind): OpenUtterance {
    const engine = this.engine;
    if (!engine) throw new Error('asr stage: process() before start()');
    const stream = engine.createStream({
      partialIntervalMs: this.options.partialIntervalMs,
      onPartial: (hypothesis) => this.report(utteranceId, hypothesis),
    });
    // The end may have been announced before the first frame came through the ring.
    const announced = this.announced.find((a) => a.utteranceId === utteranceId);
    const endSample = positions === 'stream' ? announced?.streamEndSample : announced?.outputEndSample;
    this.open = {
      utteranceId,
      positions,
      stream,
      receivedUpToSample: 0,
      ...(endSample !== undefined ? { endSample } : {}),
    };
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
