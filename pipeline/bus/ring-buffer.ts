/**
 * Single-producer / single-consumer ring of audio samples over SharedArrayBuffer
 * (after padenot/ringbuf.js). One thread may push, one thread may pop; both may read
 * the counters. Nothing blocks on the audio path, nothing is overwritten: a push that
 * does not fit writes what fits and counts the rest as an overrun (drop policy:
 * "drop newest"), a pop that finds less than it asked for counts an underrun.
 *
 * Indices live in an Int32Array header and are published with Atomics, so the
 * samples written before an index store are visible to the other thread after it
 * loads that index.
 */
import type { SampleArray } from './audio-frame.js';

export type SampleKind = 'int16' | 'float32';

/** Everything another thread needs to attach to the same ring (structured-cloneable). */
export interface RingDescriptor {
  name: string;
  kind: SampleKind;
  capacitySamples: number;
  header: SharedArrayBuffer;
  storage: SharedArrayBuffer;
}

export interface RingStats {
  capacitySamples: number;
  availableSamples: number;
  pushedSamples: number;
  poppedSamples: number;
  /** Samples refused because the ring was full (the producer ran ahead). */
  overrunSamples: number;
  overrunEvents: number;
  /** Pops that returned fewer samples than requested (the consumer ran dry). */
  underrunEvents: number;
  /** Samples discarded by the consumer on purpose (flush / interrupt). */
  clearedSamples: number;
  closed: boolean;
}

// Header slots, in 64-byte cache lines so the two threads do not write the same line on
// every frame (false sharing): the producer writes line 0, the consumer line 1, and the
// waiter counts, read on every push/pop but written only around a sleep, sit alone.
const WRITE = 0;
const WRITE_WRAPS = 1;
const OVERRUN_SAMPLES = 2;
const OVERRUN_EVENTS = 3;
/** Bumped by the producer on push (when a consumer waits) and on close; consumers wait on it. */
const DATA_SIGNAL = 4;
const CLOSED = 5;
const READ = 16;
const READ_WRAPS = 17;
const UNDERRUN_EVENTS = 18;
const CLEARED_SAMPLES = 19;
/** Bumped by the consumer on pop and clear when a producer waits; producers wait on it. */
const SPACE_SIGNAL = 20;
/** Consumers blocked waiting for data: the producer notifies only when this is > 0. */
const DATA_WAITERS = 32;
/** Producers blocked waiting for space: the consumer notifies only when this is > 0. */
const SPACE_WAITERS = 48;
const HEADER_SLOTS = 64;
/** Checks before a blocking wait sleeps: a futex round trip costs more than a short spin. */
const SPIN_CHECKS = 2000;
const SPIN_PAUSE = 16;
let spinSink = 0;

type StorageFor<K extends SampleKind> = K extends 'int16' ? Int16Array : Float32Array;

function bytesPerSample(kind: SampleKind): number {
  return kind === 'int16' ? Int16Array.BYTES_PER_ELEMENT : Float32Array.BYTES_PER_ELEMENT;
}

export class RingBuffer<K extends SampleKind = SampleKind> {
  readonly name: string;
  readonly kind: K;
  readonly capacitySamples: number;
  private readonly header: Int32Array;
  private readonly storage: StorageFor<K>;
  /** One slot stays empty so that full and empty are distinguishable. */
  private readonly storageLength: number;
  private readonly descriptor: RingDescriptor;
  /**
   * Each side's last view of the other side's index. Reading the other thread's index
   * costs a cross-core cache miss, so it is reloaded only when the cached view says
   * there is not enough room (producer) or data (consumer). A view that lags is safe;
   * one that runs ahead is not, so both start from the header (a worker may attach to a
   * ring that has already moved) and clear() moves the consumer's view with READ.
   */
  private readCache = 0;
  private writeCache = 0;

  static create<K extends SampleKind>(name: string, kind: K, capacitySamples: number): RingBuffer<K> {
    if (!Number.isInteger(capacitySamples) || capacitySamples < 1) {
      throw new RangeError(`ring "${name}": capacitySamples must be a positive integer, got ${capacitySamples}`);
    }
    const header = new SharedArrayBuffer(HEADER_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const storage = new SharedArrayBuffer((capacitySamples + 1) * bytesPerSample(kind));
    return new RingBuffer<K>({ name, kind, capacitySamples, header, storage });
  }

  /** Attach to a ring created elsewhere (typically in another thread). */
  static attach<K extends SampleKind>(descriptor: RingDescriptor): RingBuffer<K> {
    return new RingBuffer<K>(descriptor);
  }

  private constructor(descriptor: RingDescriptor) {
    const expectedBytes = (descriptor.capacitySamples + 1) * bytesPerSample(descriptor.kind);
    if (descriptor.storage.byteLength !== expectedBytes) {
      throw new RangeError(
        `ring "${descriptor.name}": storage is ${descriptor.storage.byteLength} bytes, expected ${expectedBytes}`,
      );
    }
    this.descriptor = descriptor;
    this.name = descriptor.name;
    this.kind = descriptor.kind as K;
    this.capacitySamples = descriptor.capacitySamples;
    this.storageLength = descriptor.capacitySamples + 1;
    this.header = new Int32Array(descriptor.header);
    this.readCache = Atomics.load(this.header, READ);
    this.writeCache = Atomics.load(this.header, WRITE);
    this.storage = (
      descriptor.kind === 'int16' ? new Int16Array(descriptor.storage) : new Float32Array(descriptor.storage)
    ) as StorageFor<K>;
  }

  describe(): RingDescriptor {
    return this.descriptor;
  }

  /** Free slots as the producer sees them, reloading READ only when the cache says too few. */
  private producerFree(write: number, wantedSamples: number): number {
    const length = this.storageLength;
    let free = (this.readCache - write - 1 + length) % length;
    if (free < wantedSamples) {
      this.readCache = Atomics.load(this.header, READ);
      free = (this.readCache - write - 1 + length) % length;
    }
    return free;
  }

  /** Queued samples as the consumer sees them, reloading WRITE only when the cache says too few. */
  private consumerAvailable(read: number, wantedSamples: number): number {
    const length = this.storageLength;
    let available = (this.writeCache - read + length) % length;
    if (available < wantedSamples) {
      this.writeCache = Atomics.load(this.header, WRITE);
      available = (this.writeCache - read + length) % length;
    }
    return available;
  }

  /** Producer side: is there room for `lengthSamples` now? (Cheaper than availableWrite.) */
  canPush(lengthSamples: number): boolean {
    return this.producerFree(Atomics.load(this.header, WRITE), lengthSamples) >= lengthSamples;
  }

  /** Consumer side: are `lengthSamples` queued now? (Cheaper than availableRead.) */
  canPop(lengthSamples: number): boolean {
    return this.consumerAvailable(Atomics.load(this.header, READ), lengthSamples) >= lengthSamples;
  }

  availableRead(): number {
    const read = Atomics.load(this.header, READ);
    const write = Atomics.load(this.header, WRITE);
    return (write - read + this.storageLength) % this.storageLength;
  }

  availableWrite(): number {
    return this.capacitySamples - this.availableRead();
  }

  /**
   * Producer side. Copies up to `lengthSamples` samples from `source`; returns how many
   * were written. Samples that do not fit are counted as an overrun, never overwritten.
   */
  push(source: SampleArray, lengthSamples = source.length): number {
    const header = this.header;
    const write = Atomics.load(header, WRITE);
    const free = this.producerFree(write, lengthSamples);
    const toWrite = Math.min(lengthSamples, free);
    if (toWrite < lengthSamples) {
      Atomics.add(header, OVERRUN_SAMPLES, lengthSamples - toWrite);
      Atomics.add(header, OVERRUN_EVENTS, 1);
    }
    if (toWrite === 0) return 0;
    // Bulk copies (memcpy) in at most two pieces around the wrap point. The subarray
    // views are small objects, not sample buffers; the copy itself dominates otherwise.
    const storage = this.storage;
    const firstPart = Math.min(toWrite, this.storageLength - write);
    storage.set(source.subarray(0, firstPart), write);
    if (firstPart < toWrite) storage.set(source.subarray(firstPart, toWrite), 0);
    const index = (write + toWrite) % this.storageLength;
    if (write + toWrite >= this.storageLength) Atomics.add(header, WRITE_WRAPS, 1);
    Atomics.store(header, WRITE, index);
    if (Atomics.load(header, DATA_WAITERS) > 0) {
      Atomics.add(header, DATA_SIGNAL, 1);
      Atomics.notify(header, DATA_SIGNAL);
    }
    return toWrite;
  }

  /**
   * Consumer side. Copies up to `lengthSamples` samples into `target`; returns how many
   * were read. A pop that gets fewer than it asked for counts one underrun, so a
   * consumer that only wants whatever is there should check `availableRead()` first.
   */
  pop(target: SampleArray, lengthSamples = target.length): number {
    const header = this.header;
    const read = Atomics.load(header, READ);
    const available = this.consumerAvailable(read, lengthSamples);
    const toRead = Math.min(lengthSamples, available);
    if (toRead < lengthSamples) Atomics.add(header, UNDERRUN_EVENTS, 1);
    if (toRead === 0) return 0;
    const storage = this.storage;
    const firstPart = Math.min(toRead, this.storageLength - read);
    target.set(storage.subarray(read, read + firstPart), 0);
    if (firstPart < toRead) target.set(storage.subarray(0, toRead - firstPart), firstPart);
    const index = (read + toRead) % this.storageLength;
    if (read + toRead >= this.storageLength) Atomics.add(header, READ_WRAPS, 1);
    Atomics.store(header, READ, index);
    this.signalSpace();
    return toRead;
  }

  /** Consumer side: discard everything queued (flush / interrupt). Returns the count. */
  clear(): number {
    const header = this.header;
    const read = Atomics.load(header, READ);
    const write = Atomics.load(header, WRITE);
    const available = (write - read + this.storageLength) % this.storageLength;
    if (available === 0) return 0;
    if (write < read) Atomics.add(header, READ_WRAPS, 1);
    this.writeCache = write;
    Atomics.store(header, READ, write);
    Atomics.add(header, CLEARED_SAMPLES, available);
    this.signalSpace();
    return available;
  }

  /** Producer side: no more samples will come. The consumer drains what is left. */
  close(): void {
    Atomics.store(this.header, CLOSED, 1);
    Atomics.add(this.header, DATA_SIGNAL, 1);
    Atomics.notify(this.header, DATA_SIGNAL);
  }

  /** Producer side: reopen after close (e.g. a restarted worker producing again). */
  reopen(): void {
    Atomics.store(this.header, CLOSED, 0);
  }

  isClosed(): boolean {
    return Atomics.load(this.header, CLOSED) === 1;
  }

  /** True when closed and drained: the consumer will never get another sample. */
  isFinished(): boolean {
    return this.isClosed() && this.availableRead() === 0;
  }

  /**
   * Wakes blocked producers. A waiter registers in SPACE_WAITERS before its last check of
   * the index, so when no one is registered the index store alone is enough: a waiter
   * that registers later sees the new index on that check and does not sleep.
   */
  private signalSpace(): void {
    if (Atomics.load(this.header, SPACE_WAITERS) > 0) {
      Atomics.add(this.header, SPACE_SIGNAL, 1);
      Atomics.notify(this.header, SPACE_SIGNAL);
    }
  }

  private hasData(minSamples: number): boolean {
    return this.canPop(minSamples);
  }

  private hasSpace(minSamples: number): boolean {
    return this.canPush(minSamples);
  }

  /**
   * Blocking wait (worker threads only: Atomics.wait is not allowed on the main thread).
   * Registers as a waiter before the last check, so a push in between either changes the
   * signal (the wait returns at once) or sees the waiter and notifies.
   */
  private waitBlocking(forData: boolean, minSamples: number, timeoutMs: number): boolean {
    const header = this.header;
    const signalSlot = forData ? DATA_SIGNAL : SPACE_SIGNAL;
    const waitersSlot = forData ? DATA_WAITERS : SPACE_WAITERS;
    for (let spin = 0; spin < SPIN_CHECKS; spin++) {
      if (forData ? this.hasData(minSamples) : this.hasSpace(minSamples)) return true;
      // Pause between checks without touching shared memory: polling the other thread's
      // cache line back to back would slow that thread down.
      for (let pause = 0; pause < SPIN_PAUSE; pause++) spinSink = (spinSink * 31 + pause) | 0;
    }
    let deadline = -1;
    for (;;) {
      if (forData ? this.hasData(minSamples) : this.hasSpace(minSamples)) return true;
      if (forData && this.isClosed()) return false;
      const now = performance.now();
      if (deadline < 0) deadline = now + timeoutMs;
      const remainingMs = deadline - now;
      if (remainingMs <= 0) return false;
      const signal = Atomics.load(header, signalSlot);
      Atomics.add(header, waitersSlot, 1);
      // Re-check after registering: data, or a close, may have landed in between.
      if (!(forData ? this.hasData(minSamples) || this.isClosed() : this.hasSpace(minSamples))) {
        Atomics.wait(header, signalSlot, signal, remainingMs);
      }
      Atomics.sub(header, waitersSlot, 1);
    }
  }

  /** The same wait without blocking the thread (Atomics.waitAsync), usable anywhere. */
  private async waitNonBlocking(forData: boolean, minSamples: number, timeoutMs: number): Promise<boolean> {
    const header = this.header;
    const signalSlot = forData ? DATA_SIGNAL : SPACE_SIGNAL;
    const waitersSlot = forData ? DATA_WAITERS : SPACE_WAITERS;
    let deadline = -1;
    for (;;) {
      if (forData ? this.hasData(minSamples) : this.hasSpace(minSamples)) return true;
      if (forData && this.isClosed()) return false;
      const now = performance.now();
      if (deadline < 0) deadline = now + timeoutMs;
      const remainingMs = deadline - now;
      if (remainingMs <= 0) return false;
      const signal = Atomics.load(header, signalSlot);
      Atomics.add(header, waitersSlot, 1);
      try {
        if (!(forData ? this.hasData(minSamples) || this.isClosed() : this.hasSpace(minSamples))) {
          const waiter = Atomics.waitAsync(header, signalSlot, signal, remainingMs);
          if (waiter.async) await waiter.value;
        }
      } finally {
        Atomics.sub(header, waitersSlot, 1);
      }
    }
  }

  /** Consumer side, worker threads: wait for at least `minSamples`; false on timeout or close. */
  waitForData(minSamples: number, timeoutMs: number): boolean {
    return this.waitBlocking(true, minSamples, timeoutMs);
  }

  waitForDataAsync(minSamples: number, timeoutMs: number): Promise<boolean> {
    return this.waitNonBlocking(true, minSamples, timeoutMs);
  }

  /** Producer side, worker threads: wait for room for `minSamples`; false on timeout. */
  waitForSpace(minSamples: number, timeoutMs: number): boolean {
    return this.waitBlocking(false, minSamples, timeoutMs);
  }

  waitForSpaceAsync(minSamples: number, timeoutMs: number): Promise<boolean> {
    return this.waitNonBlocking(false, minSamples, timeoutMs);
  }

  /** Samples the consumer has taken or cleared: the stream position of the next pop. */
  consumedSamples(): number {
    const h = this.header;
    return Atomics.load(h, READ_WRAPS) * this.storageLength + Atomics.load(h, READ);
  }

  stats(): RingStats {
    const h = this.header;
    return {
      capacitySamples: this.capacitySamples,
      availableSamples: this.availableRead(),
      pushedSamples: Atomics.load(h, WRITE_WRAPS) * this.storageLength + Atomics.load(h, WRITE),
      poppedSamples: this.consumedSamples() - Atomics.load(h, CLEARED_SAMPLES),
      overrunSamples: Atomics.load(h, OVERRUN_SAMPLES),
      overrunEvents: Atomics.load(h, OVERRUN_EVENTS),
      underrunEvents: Atomics.load(h, UNDERRUN_EVENTS),
      clearedSamples: Atomics.load(h, CLEARED_SAMPLES),
      closed: Atomics.load(h, CLOSED) === 1,
    };
  }
}
