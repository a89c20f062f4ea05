/**
 * `collar bench bus`: 20 ms frames between two threads, through the SPSC ring and,
 * in the same run, through postMessage per frame. Reports frames per second (flood),
 * the ratio, and p50/p99 hand-off latency (paced at one frame per millisecond).
 * Targets on the 2-core build machine: ring >= 5x postMessage, ring p99 < 1 ms.
 */
import { MessageChannel, type TransferListItem, Worker } from 'node:worker_threads';
import { frameLengthSamples } from '../../pipeline/bus/audio-frame.js';
import { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { siblingModuleUrl, workerSpawnArgs } from '../../pipeline/workers/module-url.js';
import { type BenchReport, percentile, round } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import type { BusBenchWorkerData, BusBenchWorkerResult } from './bus-bench-worker.js';

const FRAME_MS = 20;
const RING_CAPACITY_FRAMES = 256;
const STAMP_SLOTS = 4096;
const FLOOD_FRAMES = 200_000;
const PACED_FRAMES = 2_000;
const PACE_MS = 1;
const FLOOD_REPEATS = 5;
const TARGET_RATIO = 5;
const TARGET_P99_MS = 1;

const WORKER_URL = siblingModuleUrl(import.meta.url, './bus-bench-worker');

type PathResult = { framesPerSecond: number; frames: number; outOfOrder: number; latenciesNs?: Float64Array };

function startWorker(
  data: BusBenchWorkerData,
  transfer: TransferListItem[] = [],
): {
  ready: Promise<void>;
  result: Promise<BusBenchWorkerResult>;
} {
  const { script, options } = workerSpawnArgs(WORKER_URL);
  const worker = new Worker(script, { ...options, workerData: data, transferList: transfer });
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const result = new Promise<BusBenchWorkerResult>((resolve, reject) => {
    worker.on('message', (message: { type: string; result?: BusBenchWorkerResult }) => {
      if (message.type === 'ready') onReady();
      if (message.type === 'result' && message.result) {
        resolve(message.result);
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      // After a result this rejection is ignored; before one, the run cannot finish.
      // The start gate is opened too, so a worker that died before READY fails the run.
      reject(new Error(`bench worker ${data.role} exited with code ${code} before reporting a result`));
      onReady();
    });
  });
  return { ready, result };
}

async function runPair(kind: 'ring' | 'post', frames: number, paceMs: number): Promise<PathResult> {
  const frameLength = frameLengthSamples(FRAME_MS);
  const go = new SharedArrayBuffer(4);
  const baseNs = process.hrtime.bigint();
  const common = { frames, frameLengthSamples: frameLength, paceMs, baseNs, go };
  let producer: ReturnType<typeof startWorker>;
  let consumer: ReturnType<typeof startWorker>;
  if (kind === 'ring') {
    const ring = RingBuffer.create('bench', 'int16', frameLength * RING_CAPACITY_FRAMES).describe();
    const stamps = paceMs > 0 ? new SharedArrayBuffer(STAMP_SLOTS * 8) : undefined;
    const extra = stamps ? { ring, stamps } : { ring };
    consumer = startWorker({ ...common, ...extra, role: 'ring-consumer' });
    producer = startWorker({ ...common, ...extra, role: 'ring-producer' });
  } else {
    const channel = new MessageChannel();
    consumer = startWorker({ ...common, role: 'post-consumer', port: channel.port2 }, [channel.port2]);
    producer = startWorker({ ...common, role: 'post-producer', port: channel.port1 }, [channel.port1]);
  }
  await Promise.all([producer.ready, consumer.ready]);
  const goFlag = new Int32Array(go);
  Atomics.store(goFlag, 0, 1);
  Atomics.notify(goFlag, 0);
  const [produced, consumed] = await Promise.all([producer.result, consumer.result]);
  const elapsedNs = consumed.endNs - produced.startNs;
  const result: PathResult = {
    framesPerSecond: (consumed.frames / elapsedNs) * 1e9,
    frames: consumed.frames,
    outOfOrder: consumed.outOfOrder,
  };
  if (consumed.latenciesNs) result.latenciesNs = consumed.latenciesNs;
  return result;
}

function medianRun(runs: PathResult[]): PathResult {
  const sorted = [...runs].sort((a, b) => a.framesPerSecond - b.framesPerSecond);
  const median = sorted[Math.floor(sorted.length / 2)] as PathResult;
  return { ...median, outOfOrder: runs.reduce((sum, run) => sum + run.outOfOrder, 0) };
}

function latencyMs(latenciesNs: Float64Array | undefined): { p50: number; p99: number; max: number } {
  if (!latenciesNs) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(latenciesNs).sort();
  return {
    p50: percentile(sorted, 0.5) / 1e6,
    p99: percentile(sorted, 0.99) / 1e6,
    max: (sorted[sorted.length - 1] as number) / 1e6,
  };
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const floodFrames = Math.max(1_000, Math.round(FLOOD_FRAMES * options.scale));
  const pacedFrames = Math.max(200, Math.round(PACED_FRAMES * options.scale));
  // Warm-up so JIT compilation is not measured.
  await runPair('ring', 20_000, 0);
  await runPair('post', 20_000, 0);
  // Flood runs are repeated, alternating paths, and the medians reported: this machine is
  // shared and one run can land on a busy moment.
  const ringRuns: PathResult[] = [];
  const postRuns: PathResult[] = [];
  for (let run = 0; run < FLOOD_REPEATS; run++) {
    ringRuns.push(await runPair('ring', floodFrames, 0));
    postRuns.push(await runPair('post', floodFrames, 0));
  }
  const ringFlood = medianRun(ringRuns);
  const postFlood = medianRun(postRuns);
  const ringPaced = await runPair('ring', pacedFrames, PACE_MS);
  const postPaced = await runPair('post', pacedFrames, PACE_MS);

  const ringLatency = latencyMs(ringPaced.latenciesNs);
  const postLatency = latencyMs(postPaced.latenciesNs);
  const ratio = ringFlood.framesPerSecond / postFlood.framesPerSecond;
  const outOfOrder = ringFlood.outOfOrder + postFlood.outOfOrder + ringPaced.outOfOrder + postPaced.outOfOrder;
  const fmt = (value: number, digits = 3): string => value.toFixed(digits);

  return {
    bench: 'bus',
    title: `${FRAME_MS} ms frames (${frameLengthSamples(FRAME_MS)} int16 samples) between two worker threads`,
    head: ['path', 'frames/s (flood)', 'x real time', 'p50 hand-off ms', 'p99 hand-off ms', 'max ms'],
    rows: [
      [
        'SPSC ring (SharedArrayBuffer)',
        Math.round(ringFlood.framesPerSecond),
        Math.round((ringFlood.framesPerSecond * FRAME_MS) / 1000),
        fmt(ringLatency.p50),
        fmt(ringLatency.p99),
        fmt(ringLatency.max),
      ],
      [
        'postMessage per frame',
        Math.round(postFlood.framesPerSecond),
        Math.round((postFlood.framesPerSecond * FRAME_MS) / 1000),
        fmt(postLatency.p50),
        fmt(postLatency.p99),
        fmt(postLatency.max),
      ],
      ['ring / postMessage', `${ratio.toFixed(1)}x`, '', '', '', ''],
    ],
    notes: [
      `flood: ${floodFrames} frames as fast as possible, median of ${FLOOD_REPEATS} runs per path (ring runs: ${ringRuns.map((r) => Math.round(r.framesPerSecond / 1000)).join(', ')} k/s; postMessage runs: ${postRuns.map((r) => Math.round(r.framesPerSecond / 1000)).join(', ')} k/s)`,
      `paced: ${pacedFrames} frames, one every ${PACE_MS} ms, consumer blocked waiting`,
      `frames out of order or corrupted: ${outOfOrder}`,
    ],
    targets: [
      {
        name: 'ring throughput vs postMessage',
        required: `>= ${TARGET_RATIO}x`,
        measured: `${ratio.toFixed(1)}x`,
        met: ratio >= TARGET_RATIO,
      },
      {
        name: 'ring p99 hand-off',
        required: `< ${TARGET_P99_MS} ms`,
        measured: `${fmt(ringLatency.p99)} ms`,
        met: ringLatency.p99 < TARGET_P99_MS,
      },
      { name: 'frames in order, intact', required: '0 errors', measured: String(outOfOrder), met: outOfOrder === 0 },
    ],
    figures: {
      frameMs: FRAME_MS,
      floodFrames,
      floodRepeats: FLOOD_REPEATS,
      ringFloodRunsFps: ringRuns.map((r) => Math.round(r.framesPerSecond)),
      postMessageFloodRunsFps: postRuns.map((r) => Math.round(r.framesPerSecond)),
      pacedFrames,
      paceMs: PACE_MS,
      ring: {
        framesPerSecond: round(ringFlood.framesPerSecond, 0),
        p50HandoffMs: round(ringLatency.p50, 4),
        p99HandoffMs: round(ringLatency.p99, 4),
        maxHandoffMs: round(ringLatency.max, 4),
      },
      postMessage: {
        framesPerSecond: round(postFlood.framesPerSecond, 0),
        p50HandoffMs: round(postLatency.p50, 4),
        p99HandoffMs: round(postLatency.p99, 4),
        maxHandoffMs: round(postLatency.max, 4),
      },
      ratio: round(ratio, 2),
      outOfOrder,
    },
  };
}
