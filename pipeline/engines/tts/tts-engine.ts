/**
 * The synthesis interface. An engine loads its model once and turns one clause of English
 * into audio at its native rate (`ClauseSynthesizer`); a per-utterance `TtsStream` (see
 * clause-stream.ts) takes text whole or clause by clause, synthesises clauses in order,
 * yields each clause's audio as soon as it is ready, and can be cancelled mid-sentence
 * (barge-in). The TTS stage resamples to the output rate.
 */

/** How one voice should speak: engine-specific voice name plus delivery. */
export interface VoiceSelection {
  /** The engine's own voice name: an espeak-ng voice ("en-GB-scotland"), a Kokoro voice ("bf_emma"), a Piper model id. */
  voiceName: string;
  /** Speaking rate: 1 = the voice's normal speed, 0.85 = slower (child-directed default). */
  rate: number;
  /** Pitch: 1 = the voice's normal pitch, 1.1 = 10 % higher. */
  pitch: number;
}

export interface ClauseSynthesizer {
  readonly id: string;
  /** Native output rate of the engine (espeak-ng 22050, Piper per voice, Kokoro 24000). */
  readonly sampleRateHz: number;
  /** Voice names this engine can speak with. */
  voiceNames(): readonly string[];
  /** One clause of clean English text → mono float samples at `sampleRateHz`. */
  synthesizeClause(text: string, voice: VoiceSelection, signal?: AbortSignal): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export class TtsCancelledError extends Error {
  override readonly name = 'TtsCancelledError';
}

export class UnknownVoiceError extends Error {
  override readonly name = 'UnknownVoiceError';
}
