/**
 * Earcons are mixed in at the playback edge, over whatever the pipeline plays (or over
 * silence), so they reach the wearer even while the pipeline is idle or restarting.
 * The queue is bounded: when it is full the oldest earcon is dropped and counted.
 */
export class EarconOverlay {
  private readonly queue: Int16Array[] = [];
  private position = 0;
  droppedEarcons = 0;

  constructor(private readonly maxQueued = 4) {}

  enqueue(samples: Int16Array): void {
    if (this.queue.length >= this.maxQueued) {
      this.queue.shift();
      this.position = 0;
      this.droppedEarcons += 1;
    }
    this.queue.push(samples);
  }

  /** Adds the next samples of the current earcon to `frame` (floats in [-1, 1]), clipping. */
  mixInto(frame: Float32Array): void {
    let index = 0;
    while (index < frame.length) {
      const current = this.queue[0];
      if (!current) return;
      const take = Math.min(frame.length - index, current.length - this.position);
      for (let i = 0; i < take; i++) {
        const mixed = (frame[index + i] as number) + (current[this.position + i] as number) / 32768;
        frame[index + i] = mixed > 1 ? 1 : mixed < -1 ? -1 : mixed;
      }
      index += take;
      this.position += take;
      if (this.position >= current.length) {
        this.queue.shift();
        this.position = 0;
      }
    }
  }

  pending(): number {
    return this.queue.length;
  }
}
