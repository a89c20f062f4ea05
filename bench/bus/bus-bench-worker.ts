/**
 * One side of the bus benchmark, run in its own worker thread. Roles:
 * ring-producer / ring-consumer move frames through a RingBuffer (blocking waits, as a
 * worker stage would); post-producer / post-consumer move the same frames through
 * postMessage, one message per frame. In paced mode each frame carries its send time
 * (monotonic clock, shared by all threads) and the consumer records the hand-off latency.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { RingBuffer, type RingDescriptor } from '../../pipeline/bus/ring-buffer.js';

export interface BusBenchWorkerData {
  role: 'ring-producer' | 'ring-consumer' | 'post-producer' | 'post-consumer';
  frames: number;
  frameLengthSamples: number;
  /** 0 = as fast as possible; otherwise one frame every paceMs. */
  paceMs: number;
  /** Monotonic time zero, so times fit a double with ns precision. */
  baseNs: bigint;
  go: SharedArrayBuffer;
  ring?: RingDescriptor;
  /** Ring path, paced mode: send time of frame seq at [seq % length]. */
  stamps?: SharedArrayBuffer;
  port?: MessagePort;
}

export interface BusBenchWorkerResult {
  role: BusBenchWorkerData['role'];
  frames: number;
  startNs: number;
  endNs: number;
  outOfOrder: number;
  latenciesNs?: Float64Array;
}

const data = workerData as BusBenchWorkerData;
const nowNs = (): number => Number(process.hrtime.bigint() - data.baseNs);
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function waitForGo(): void {
  const go = new Int32Array(data.go);
  parentPort?.postMessage({ type: 'ready' });
  while (Atomics.load(go, 0) === 0) Atomics.wait(go, 0, 0, 1000);
}

function paceUntil(targetNs: number): void {
  for (;;) {
    const remainingMs = (targetNs - nowNs()) / 1e6;
    if (remainingMs <= 0) return;
    Atomics.wait(sleeper, 0, 0, remainingMs);
  }
}

function finish(result: BusBenchWorkerResult): void {
  const transfer = result.latenciesNs ? [result.latenciesNs.buffer as ArrayBuffer] : [];
  parentPort?.postMessage({ type: 'result', result }, transfer);
}

function ringProducer(): void {
  const ring = RingBuffer.attach(data.ring as RingDescriptor);
  const stamps = data.stamps ? new Float64Array(data.stamps) : undefined;
  const frame = new Int16Array(data.frameLengthSamples);
  const length = data.frameLengthSamples;
  waitForGo();
  const startNs = nowNs();
  for (let seq = 0; seq < data.frames; seq++) {
    frame[0] = seq & 0x7fff;
    if (data.paceMs > 0) paceUntil(startNs + seq * data.paceMs * 1e6);
    // When full, wait for a quarter of the ring to drain rather than one frame, so the two
    // threads do not hand one cache line back and forth per frame.
    while (!ring.canPush(length)) ring.waitForSpace(Math.max(length, ring.capacitySamples / 4), 1000);
    if (stamps) stamps[seq % stamps.length] = nowNs();
    ring.push(frame, length);
  }
  ring.close();
  finish({ role: data.role, frames: data.frames, startNs, endNs: nowNs(), outOfOrder: 0 });
}

function ringConsumer(): void {
  const ring = RingBuffer.attach(data.ring as RingDescriptor);
  const stamps = data.stamps ? new Float64Array(data.stamps) : undefined;
  const latenciesNs = stamps ? new Float64Array(data.frames) : undefined;
  const frame = new Int16Array(data.frameLengthSamples);
  const length = data.frameLengthSamples;
  waitForGo();
  const startNs = nowNs();
  let received = 0;
  let outOfOrder = 0;
  while (received < data.frames) {
    if (!ring.waitForData(length, 1000)) {
      if (ring.isFinished()) break;
      continue;
    }
    ring.pop(frame, length);
    if (stamps && latenciesNs) latenciesNs[received] = nowNs() - (stamps[received % stamps.length] as number);
    if (frame[0] !== (received & 0x7fff)) outOfOrder += 1;
    received += 1;
  }
  const result: BusBenchWorkerResult = { role: data.role, frames: received, startNs, endNs: nowNs(), outOfOrder };
  if (latenciesNs) result.latenciesNs = latenciesNs;
  finish(result);
}

function postProducer(): void {
  const port = data.port as MessagePort;
  const frame = new Int16Array(data.frameLengthSamples);
  waitForGo();
  const startNs = nowNs();
  for (let seq = 0; seq < data.frames; seq++) {
    frame[0] = seq & 0x7fff;
    if (data.paceMs > 0) paceUntil(startNs + seq * data.paceMs * 1e6);
    // Structured clone copies the frame, as a per-frame postMessage design would.
    port.postMessage({ seq, sentNs: nowNs(), samples: frame });
  }
  finish({ role: data.role, frames: data.frames, startNs, endNs: nowNs(), outOfOrder: 0 });
}

function postConsumer(): void {
  const port = data.port as MessagePort;
  const latenciesNs = data.paceMs > 0 ? new Float64Array(data.frames) : undefined;
  let received = 0;
  let outOfOrder = 0;
  let startNs = -1;
  port.on('message', (message: { seq: number; sentNs: number; samples: Int16Array }) => {
    const receivedNs = nowNs();
    if (startNs < 0) startNs = receivedNs;
    if (latenciesNs) latenciesNs[received] = receivedNs - message.sentNs;
    if (message.seq !== received || message.samples[0] !== (received & 0x7fff)) outOfOrder += 1;
    received += 1;
    if (received === data.frames) {
      const result: BusBenchWorkerResult = { role: data.role, frames: received, startNs, endNs: nowNs(), outOfOrder };
      if (latenciesNs) result.latenciesNs = latenciesNs;
      port.close();
      finish(result);
    }
  });
  parentPort?.postMessage({ type: 'ready' });
}

switch (data.role) {
  case 'ring-producer':
    ringProducer();
    break;
  case 'ring-consumer':
    ringConsumer();
    break;
  case 'post-producer':
    postProducer();
    break;
  case 'post-consumer':
    postConsumer();
    break;
}
