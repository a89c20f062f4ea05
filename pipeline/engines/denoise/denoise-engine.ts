/**
 * A noise suppressor working on fixed blocks of 16 kHz mono float samples in [-1, 1].
 * Engines hold their streaming state (STFT overlap, recurrent caches) between blocks;
 * `reset` clears it at an utterance boundary or after an interrupt.
 */
export const DENOISE_ENGINES = ['gtcrn', 'rnnoise', 'bypass'] as const;
export type DenoiseEngineName = (typeof DENOISE_ENGINES)[number];

export interface DenoiseEngine {
  readonly name: DenoiseEngineName;
  /** Samples per `processBlock` call, at 16 kHz. */
  readonly blockSamples: number;
  /** How far output lags input, in samples at 16 kHz (the algorithmic delay). */
  readonly latencySamples: number;
  /** Denoise one block; `input` and `output` both hold `blockSamples` samples. */
  processBlock(input: Float32Array, output: Float32Array): void | Promise<void>;
  reset(): void;
  close(): Promise<void>;
}
