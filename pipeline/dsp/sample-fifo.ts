/**
 * A bounded first-in-first-out queue of float samples over one preallocated array, for
 * re-chunking inside a single thread (between a frame size and a model's block size).
 * Not a ring between threads: that is pipeline/bus/ring-buffer.ts.
 */
export class SampleFifo {
  private readonly buffer: Float32Array;
  private start = 0;
  private end = 0;

  constructor(readonly capacitySamples: number) {
    this.buffer = new Float32Array(capacitySamples);
  }

  get lengthSamples(): number {
    return this.end - this.start;
  }

  /** Append samples; throws if the queue would exceed its capacity (a sizing bug). */
  push(samples: Float32Array): void {
    if (this.end + samples.length > this.capacitySamples) this.compact();
    if (this.end + samples.length > this.capacitySamples) {
      throw new RangeError(
        `SampleFifo overflow: ${this.lengthSamples} + ${samples.length} samples exceeds capacity ${this.capacitySamples}`,
      );
    }
    this.buffer.set(samples, this.end);
    this.end += samples.length;
  }

  pushZeros(count: number): void {
    if (this.end + count > this.capacitySamples) this.compact();
    if (this.end + count > this.capacitySamples) throw new RangeError(`SampleFifo overflow pushing ${count} zeros`);
    this.buffer.fill(0, this.end, this.end + count);
    this.end += count;
  }

  /** Move `target.length` samples out; returns how many were available (the rest is zero-filled). */
  popInto(target: Float32Array): number {
    const count = Math.min(target.length, this.lengthSamples);
    target.set(this.buffer.subarray(this.start, this.start + count));
    if (count < target.length) target.fill(0, count);
    this.start += count;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
    return count;
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
  }

  private compact(): void {
    if (this.start === 0) return;
    this.buffer.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
  }
}
