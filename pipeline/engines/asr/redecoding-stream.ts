/**
 * An AsrStream for offline (whole-segment) models: audio accumulates, and every
 * `partialIntervalMs` of new audio the whole segment so far is decoded again and offered as
 * a partial hypothesis. At most one decode runs at a time; a partial that is due while one
 * is running waits for it rather than queueing up. `finish` waits for any partial in
 * flight, then decodes the complete segment.
 */
import {
  AsrCancelledError,
  type AsrHypothesis,
  type AsrStream,
  type AsrStreamOptions,
  DEFAULT_PARTIAL_INTERVAL_MS,
} from './asr-engine.js';

/** What a model-specific engine supplies: its incremental front end and its decode. */
export interface SegmentDecoder<FrontEnd> {
  createFrontEnd(): FrontEnd;
  accept(frontEnd: FrontEnd, samples: Float32Array): void;
  /** Decode everything the front end holds; must not await before reading it. */
  decode(frontEnd: FrontEnd): Promise<Omit<AsrHypothesis, 'isFinal' | 'audioMs' | 'decodeMs'>>;
}

export class RedecodingStream<FrontEnd> implements AsrStream {
  private readonly frontEnd: FrontEnd;
  private readonly partialIntervalSamples: number;
  private acceptedSamples = 0;
  private samplesAtLastPartial = 0;
  private inFlight: Promise<void> | undefined;
  private cancelled = false;
  private finished = false;

  constructor(
    private readonly decoder: SegmentDecoder<FrontEnd>,
    private readonly sampleRateHz: number,
    private readonly options: AsrStreamOptions = {},
  ) {
    this.frontEnd = decoder.createFrontEnd();
    const intervalMs = options.partialIntervalMs ?? DEFAULT_PARTIAL_INTERVAL_MS;
    this.partialIntervalSamples = options.onPartial && intervalMs > 0 ? (intervalMs * sampleRateHz) / 1000 : 0;
  }

  accept(samples: Float32Array): void {
    if (this.cancelled || this.finished) return;
    this.decoder.accept(this.frontEnd, samples);
    this.acceptedSamples += samples.length;
    if (
      this.partialIntervalSamples > 0 &&
      this.inFlight === undefined &&
      this.acceptedSamples - this.samplesAtLastPartial >= this.partialIntervalSamples
    ) {
      this.samplesAtLastPartial = this.acceptedSamples;
      this.inFlight = this.decodeNow(false)
        .then((hypothesis) => {
          // Delivered even when finish() is waiting on it: it still precedes the final.
          if (!this.cancelled) this.options.onPartial?.(hypothesis);
        })
        .catch(() => {
          // A failed partial (or a throwing onPartial) is not fatal: a model error shows
          // again in the final decode, which reports it.
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
  }

  async finish(): Promise<AsrHypothesis> {
    if (this.cancelled) throw new AsrCancelledError('the utterance was cancelled before its endpoint');
    this.finished = true;
    await this.inFlight;
    if (this.cancelled) throw new AsrCancelledError('the utterance was cancelled before its endpoint');
    const final = await this.decodeNow(true);
    if (this.cancelled) throw new AsrCancelledError('the utterance was cancelled while its final text was decoded');
    return final;
  }

  cancel(): void {
    this.cancelled = true;
  }

  async idle(): Promise<void> {
    await this.inFlight;
  }

  private async decodeNow(isFinal: boolean): Promise<AsrHypothesis> {
    const audioMs = (this.acceptedSamples * 1000) / this.sampleRateHz;
    const started = performance.now();
    const decoded = await this.decoder.decode(this.frontEnd);
    return { ...decoded, isFinal, audioMs, decodeMs: performance.now() - started };
  }
}
