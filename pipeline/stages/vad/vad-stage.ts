/**
 * Voice activity and endpointing. Runs Silero VAD on every 32 ms window and the
 * endpointer over its probabilities; reports `speechStart` / `speechEnd` (with stream
 * sample positions) as stage events, which the host puts on the control lane. Only the
 * audio of utterances is handed on, tagged with the utterance id: at a confirmed start
 * the remembered frames from the pre-roll onwards go first, then live frames until the
 * end. Recognition downstream therefore never sees the silence between utterances.
 * Frames leave in the sample type they came in.
 */
import { z } from 'zod';
import type { AudioFrame } from '../../bus/audio-frame.js';
import { fromFloatSamples, toFloatSamples } from '../../dsp/sample-format.js';
import { SileroVad } from '../../engines/vad/silero-vad.js';
import { openModelStore } from '../../models/index.js';
import type { Stage, StageContext, StageFactory } from '../stage.js';
import { type EndpointEvent, EndpointerOptionsSchema } from './endpointer.js';
import { FrameHistory } from './frame-history.js';
import { SpeechDetector } from './speech-detector.js';

export const SILERO_MODELS = {
  v5: { modelId: 'silero-vad-v5', fileName: 'silero_vad.onnx' },
  v6: { modelId: 'silero-vad-v6', fileName: 'silero_vad.onnx' },
} as const;

export const VadOptionsSchema = z.strictObject({
  model: z.enum(['v5', 'v6']).default('v6'),
  endpointer: EndpointerOptionsSchema.omit({ sampleRate: true }).prefault({}),
});
export type VadOptions = z.input<typeof VadOptionsSchema>;

export async function loadSileroVad(model: 'v5' | 'v6', store = openModelStore()): Promise<SileroVad> {
  const { modelId, fileName } = SILERO_MODELS[model];
  return SileroVad.load(await store.resolveFile(modelId, fileName));
}

export class VadStage implements Stage {
  readonly name = 'vad';
  private readonly options: z.output<typeof VadOptionsSchema>;
  private ctx: StageContext | undefined;
  private detector: SpeechDetector | undefined;
  private history: FrameHistory | undefined;
  private floatSamples = new Float32Array(0);
  /** Output frame in the input's sample type (Int16 rings stay Int16), reused. */
  private taggedFrame: AudioFrame | undefined;

  constructor(options: VadOptions = {}) {
    this.options = VadOptionsSchema.parse(options);
  }

  async start(ctx: StageContext): Promise<void> {
    this.ctx = ctx;
    const vad = await loadSileroVad(this.options.model, openModelStore({ logger: ctx.logger }));
    this.detector = new SpeechDetector(vad, this.options.endpointer);
  }

  async process(frame: AudioFrame): Promise<void> {
    const detector = this.detector;
    if (!detector) throw new Error('vad stage: process() before start()');
    const input = frame.samples;
    if (this.floatSamples.length !== input.length) {
      this.floatSamples = new Float32Array(input.length);
      const samples = input instanceof Int16Array ? new Int16Array(input.length) : new Float32Array(input.length);
      this.taggedFrame = { ...frame, samples };
      const { preRollMs, minSpeechMs } = this.options.endpointer;
      // Enough to reach back over the pre-roll, the confirmation wait and one VAD window.
      const historyMs = (preRollMs ?? 200) + (minSpeechMs ?? 250) + 64;
      const frameMs = (input.length * 1_000) / frame.sampleRate;
      this.history = new FrameHistory(Math.ceil(historyMs / frameMs) + 1);
    }
    toFloatSamples(input, this.floatSamples);
    this.history?.remember(frame, this.floatSamples);
    const events = await detector.accept(this.floatSamples);
    const utteranceBefore = detector.endpointer.currentUtteranceId;
    for (const event of events) this.report(event);
    const utteranceId = detector.endpointer.currentUtteranceId;
    const startedNow = events.find((event) => event.type === 'speechStart');
    if (startedNow?.type === 'speechStart') {
      for (const past of this.history?.since(startedNow.preRollStartSample) ?? []) {
        this.send(past, past.samples, startedNow.utteranceId);
      }
    } else if (utteranceId !== undefined && utteranceId === utteranceBefore) {
      this.send(frame, this.floatSamples, utteranceId);
    }
  }

  private send(frame: AudioFrame, samples: Float32Array, utteranceId: string): void {
    const tagged = this.taggedFrame as AudioFrame;
    fromFloatSamples(samples, tagged.samples);
    tagged.seq = frame.seq;
    tagged.ptsSamples = frame.ptsSamples;
    tagged.sampleRate = frame.sampleRate;
    tagged.channels = frame.channels;
    tagged.utteranceId = utteranceId;
    this.ctx?.emit(tagged);
  }

  private report(event: EndpointEvent): void {
    this.ctx?.emitEvent(event.type, event);
  }

  flush(): void {
    for (const event of this.detector?.finish() ?? []) this.report(event);
  }

  /**
   * Forget the utterance in progress without reporting it. Not tied to `interrupt`: a
   * barge-in interrupts the English, while the VAD must keep hearing the wearer.
   */
  reset(): void {
    this.detector?.reset();
    this.history?.clear();
  }

  close(): void {}
}

export const createStage: StageFactory = (options) => new VadStage((options ?? {}) as VadOptions);
