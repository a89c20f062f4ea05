/**
 * Counters shared between a worker host and its worker through one SharedArrayBuffer.
 * The worker counts frames and marks the frames it holds; the host reads them as
 * metrics and, when the worker dies, counts the held frames as dropped.
 */
export const WorkerStat = {
  /** Frames the worker popped from its input ring. */
  FRAMES_IN: 0,
  /** Frames the stage emitted to the output ring. */
  FRAMES_OUT: 1,
  /** Frames popped whose processing has not finished: lost if the worker dies now. */
  HELD_FRAMES: 2,
  /** Messages the host posted to the current worker. */
  MESSAGES_SENT: 3,
  /** Messages the current worker has taken off its port. */
  MESSAGES_RECEIVED: 4,
  /** Output samples refused because the output ring was full. */
  OUTPUT_OVERRUN_SAMPLES: 5,
} as const;

const SLOT_COUNT = 6;

export function createWorkerStats(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(SLOT_COUNT * Int32Array.BYTES_PER_ELEMENT));
}
