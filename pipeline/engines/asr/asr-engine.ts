/**
 * The recogniser interface. An engine loads its model once; each utterance gets a stream
 * that takes 16 kHz float frames as the VAD passes them on, offers partial hypotheses
 * while the parent is still speaking (so translation can start early), and gives the final
 * text at the endpoint. A stream can be cancelled (barge-in, or the utterance was dropped).
 */
export interface AsrHypothesis {
  text: string;
  /** Model token ids behind `text`, prompt tokens removed. */
  tokenIds: number[];
  /** Language the model reported, when it reports one (SenseVoice: "zh", "en", …). */
  language?: string;
  /** Audio the hypothesis covers. */
  audioMs: number;
  /** Time the decode took (front end + model + search). */
  decodeMs: number;
  isFinal: boolean;
}

export interface AsrStreamOptions {
  /** Re-decode the growing segment this often, in ms of new audio; 0 turns partials off. */
  partialIntervalMs?: number;
  onPartial?: (hypothesis: AsrHypothesis) => void;
}

export interface AsrStream {
  accept(samples: Float32Array): void;
  /** The endpoint: decode everything accepted and resolve with the final hypothesis. */
  finish(): Promise<AsrHypothesis>;
  /** Drop the utterance: no more partials, `finish` rejects with AsrCancelledError. */
  cancel(): void;
  /** Resolves once no partial decode is running (tools pace offline audio with it). */
  idle(): Promise<void>;
}

export interface AsrEngine {
  readonly id: string;
  readonly sampleRateHz: number;
  createStream(options?: AsrStreamOptions): AsrStream;
  /** One-shot recognition of a whole recording. */
  transcribe(samples: Float32Array): Promise<AsrHypothesis>;
  dispose(): Promise<void>;
}

export const DEFAULT_PARTIAL_INTERVAL_MS = 400;

export class AsrCancelledError extends Error {
  override readonly name = 'AsrCancelledError';
}
