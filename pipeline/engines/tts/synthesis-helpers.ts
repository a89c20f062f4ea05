/** Small pieces the neural TTS engines share. */
import type { ort } from '../onnx-session.js';
import { SerialQueue } from '../transformers-local.js';
import { TtsCancelledError } from './tts-engine.js';

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TtsCancelledError('synthesis cancelled');
}

/** The pieces one after another (the piece itself when there is only one). */
export function concatAudio(pieces: readonly Float32Array[]): Float32Array {
  if (pieces.length === 1) return pieces[0] as Float32Array;
  const joined = new Float32Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    joined.set(piece, offset);
    offset += piece.length;
  }
  return joined;
}

/**
 * A voice model's ONNX session: one call at a time, its audio output copied out, and a
 * dispose that waits for the call in progress. Calls after dispose are refused.
 */
export class VoiceModelSession {
  private readonly queue = new SerialQueue();
  private disposed = false;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly modelName: string,
    private readonly outputName: string,
  ) {}

  run(feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
    if (this.disposed) return Promise.reject(new Error(`the ${this.modelName} engine has been disposed`));
    return this.queue.run(async () => {
      const audio = (await this.session.run(feeds))[this.outputName];
      if (!audio) throw new Error(`the ${this.modelName} model returned no "${this.outputName}"`);
      return Float32Array.from(audio.data as Float32Array);
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.idle();
    await this.session.release();
  }
}
