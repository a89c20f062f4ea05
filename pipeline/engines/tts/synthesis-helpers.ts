/** Small pieces the neural TTS engines share. */
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
