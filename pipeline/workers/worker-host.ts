/**
 * Runs one stage in a worker thread and keeps it alive (DESIGN.md principle 7, after
 * thread-stream and agents-js ipc). Audio moves through the rings it is given; control
 * moves through the typed protocol. The host
 * - waits for READY (bounded by readyTimeoutMs),
 * - pings and restarts a worker that stops answering (pingTimeoutMs),
 * - restarts a crashed worker with doubling backoff, and gives up after
 *   maxConsecutiveRestarts failures without a healthy period,
 * - counts the frames a dead worker held as dropped, never losing them silently.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { PIPELINE_SAMPLE_RATE } from '../bus/audio-frame.js';
import type { RingBuffer } from '../bus/ring-buffer.js';
import type { CollarConfig, WorkersConfig } from '../config/schema.js';
import type { ControlEvent } from '../control/control-event.js';
import { restartDelayMs } from './backoff.js';
import { siblingModuleUrl, workerSpawnArgs } from './module-url.js';
import { type HostToWorker, parseWorkerToHost, type WorkerToHost } from './protocol.js';
import type { StageWorkerData } from './worker-data.js';
import { createWorkerStats, WorkerStat } from './worker-stats.js';

export type WorkerHostState = 'idle' | 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export type CrashReason = 'crashed' | 'exited' | 'unresponsive' | 'ready-timeout';

export interface CrashReport {
  stageName: string;
  reason: CrashReason;
  message: string;
  exitCode: number | undefined;
  /** Frames the dead worker had taken but not finished: counted as dropped. */
  droppedFrames: number;
  /** Set when a restart is scheduled. */
  restartInMs?: number;
}

export interface WorkerHostMetrics {
  state: WorkerHostState;
  restarts: number;
  droppedFrames: number;
  framesIn: number;
  framesOut: number;
  heldFrames: number;
  outputOverrunSamples: number;
  rejectedMessages: number;
}

export interface WorkerHostOptions {
  stageName: string;
  /** file: URL of the module exporting the stage factory. */
  stageModuleUrl: string;
  exportName?: string;
  stageOptions?: unknown;
  input: RingBuffer;
  output?: RingBuffer;
  frameLengthSamples: number;
  sampleRate?: number;
  supervision: WorkersConfig;
  logger: Logger;
  logLevel?: CollarConfig['logging']['level'];
  /** Worker entry script; defaults to the stage worker. Protocol tests substitute their own. */
  entryUrl?: string;
}

export interface WorkerHostEvents {
  ready: [];
  crash: [CrashReport];
  restart: [attempt: number];
  failed: [Error];
  stageEvent: [name: string, data: unknown];
  flushed: [Extract<WorkerToHost, { type: 'flushed' }>];
  workerError: [Extract<WorkerToHost, { type: 'error' }>];
}

const STOP_GRACE_MS = 2_000;

export class WorkerHost extends EventEmitter<WorkerHostEvents> {
  readonly stageName: string;
  private readonly stats = createWorkerStats();
  private readonly entryUrl: string;
  private readonly logger: Logger;
  private worker: Worker | undefined;
  private state: WorkerHostState = 'idle';
  private restarts = 0;
  private consecutiveFailures = 0;
  private droppedFrames = 0;
  private rejectedMessages = 0;
  private readyAtMs = 0;
  private lastPongAtMs = 0;
  private nextPingId = 0;
  private pendingCrash: { reason: CrashReason; message: string } | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private firstStart: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private stopped: (() => void) | undefined;
  private stopping: Promise<void> | undefined;
  /** Latest setting of each kind, replayed to a restarted worker so it resumes as it was. */
  private readonly settings = new Map<string, HostToWorker>();

  constructor(private readonly options: WorkerHostOptions) {
    super();
    this.stageName = options.stageName;
    this.logger = options.logger.child({ stage: options.stageName, host: 'worker' });
    this.entryUrl = options.entryUrl ?? siblingModuleUrl(import.meta.url, './stage-worker');
  }

  getState(): WorkerHostState {
    return this.state;
  }

  /** Resolves at the first READY; rejects if the very first worker cannot start. */
  start(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error(`worker host "${this.stageName}" already started`));
    return new Promise<void>((resolve, reject) => {
      this.firstStart = { resolve, reject };
      this.spawn();
    });
  }

  /**
   * Deliver a control event; the worker applies it before its next frame. Settings
   * (mute, volume, voice, mode) are remembered and replayed after a restart. With no
   * worker running (during a restart), an interrupt clears the queued input here.
   */
  control(event: ControlEvent): void {
    const message: HostToWorker = { type: 'event', event };
    if (event.type === 'mute' || event.type === 'unmute') this.settings.set('mute', message);
    else if (event.type === 'setVolume' || event.type === 'setVoice' || event.type === 'setMode') {
      this.settings.set(event.type, message);
    }
    if (!this.worker) {
      if (event.type === 'interrupt') this.options.input.clear();
      else if (!this.settings.has(event.type === 'unmute' ? 'mute' : event.type)) {
        this.logger.warn({ event: event.type }, 'control event dropped: no worker is running');
      }
      return;
    }
    this.send(message);
  }

  configure(config: unknown): void {
    const message: HostToWorker = { type: 'config', config };
    this.settings.set('config', message);
    this.send(message);
  }

  /**
   * Post a message that has not been type-checked. Only for protocol tests and tools that
   * relay messages from outside; the worker validates and rejects what does not parse.
   */
  sendUnchecked(message: unknown): void {
    if (!this.worker) return;
    Atomics.add(this.stats, WorkerStat.MESSAGES_SENT, 1);
    this.worker.postMessage(message);
  }

  private send(message: HostToWorker): void {
    this.sendUnchecked(message);
  }

  /** End the worker abruptly, as a crash would (fault injection and the supervisor itself). */
  async terminateWorker(message = 'terminated by the host'): Promise<void> {
    if (!this.worker) return;
    this.pendingCrash ??= { reason: 'crashed', message };
    await this.worker.terminate();
  }

  metrics(): WorkerHostMetrics {
    return {
      state: this.state,
      restarts: this.restarts,
      droppedFrames: this.droppedFrames,
      framesIn: Atomics.load(this.stats, WorkerStat.FRAMES_IN),
      framesOut: Atomics.load(this.stats, WorkerStat.FRAMES_OUT),
      heldFrames: Atomics.load(this.stats, WorkerStat.HELD_FRAMES),
      outputOverrunSamples: Atomics.load(this.stats, WorkerStat.OUTPUT_OVERRUN_SAMPLES),
      rejectedMessages: this.rejectedMessages,
    };
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce();
    return this.stopping;
  }

  private async stopOnce(): Promise<void> {
    clearTimeout(this.restartTimer);
    if (!this.worker) {
      this.setState('stopped');
      this.rejectFirstStart('stopped before the worker was ready');
      return;
    }
    const worker = this.worker;
    this.setState('stopping');
    const exited = new Promise<void>((resolve) => {
      this.stopped = resolve;
    });
    this.send({ type: 'shutdown', reason: 'host stopping' });
    const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    await exited;
    clearTimeout(grace);
  }

  private rejectFirstStart(reason: string): void {
    if (!this.firstStart) return;
    this.firstStart.reject(new Error(`stage "${this.stageName}": ${reason}`));
    this.firstStart = undefined;
  }

  private setState(next: WorkerHostState): void {
    if (next !== this.state) this.logger.debug({ from: this.state, to: next }, 'worker host state');
    this.state = next;
  }

  private spawn(): void {
    const { options } = this;
    Atomics.store(this.stats, WorkerStat.MESSAGES_SENT, 0);
    Atomics.store(this.stats, WorkerStat.MESSAGES_RECEIVED, 0);
    Atomics.store(this.stats, WorkerStat.HELD_FRAMES, 0);
    const data: StageWorkerData = {
      stageName: options.stageName,
      stageModuleUrl: options.stageModuleUrl,
      exportName: options.exportName ?? 'createStage',
      options: options.stageOptions,
      input: options.input.describe(),
      frameLengthSamples: options.frameLengthSamples,
      sampleRate: options.sampleRate ?? PIPELINE_SAMPLE_RATE,
      startPtsSamples: options.input.consumedSamples(),
      stats: this.stats.buffer as SharedArrayBuffer,
      logLevel: options.logLevel ?? 'info',
    };
    if (options.output) data.output = options.output.describe();
    this.setState('starting');
    this.pendingCrash = undefined;
    const { script, options: spawnOptions } = workerSpawnArgs(this.entryUrl);
    const worker = new Worker(script, {
      ...spawnOptions,
      workerData: data,
      name: `collar-${options.stageName}`,
    });
    this.worker = worker;
    this.readyTimer = setTimeout(() => {
      this.pendingCrash = {
        reason: 'ready-timeout',
        message: `no READY within ${options.supervision.readyTimeoutMs} ms`,
      };
      void worker.terminate();
    }, options.supervision.readyTimeoutMs);
    // Replayed before the first frame: the port queues them until the worker listens.
    for (const message of this.settings.values()) this.send(message);
    worker.on('message', (raw: unknown) => this.onMessage(raw));
    worker.on('error', (error) => {
      this.pendingCrash ??= { reason: 'crashed', message: error.message };
    });
    worker.on('exit', (exitCode) => this.onExit(worker, exitCode));
  }

  private onMessage(raw: unknown): void {
    const parsed = parseWorkerToHost(raw);
    if (!parsed.ok) {
      this.rejectedMessages += 1;
      this.logger.warn({ problem: parsed.problem }, 'rejected a malformed message from the worker');
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.onReady();
        break;
      case 'pong':
        this.lastPongAtMs = performance.now();
        break;
      case 'event':
        this.emit('stageEvent', message.name, message.data);
        break;
      case 'flushed':
        this.emit('flushed', message);
        break;
      case 'error':
        if (message.fatal) {
          this.pendingCrash ??= { reason: 'crashed', message: `${message.kind} error: ${message.message}` };
        } else {
          this.logger.warn({ kind: message.kind, problem: message.message }, 'worker reported an error');
          this.emit('workerError', message);
        }
        break;
    }
  }

  private onReady(): void {
    clearTimeout(this.readyTimer);
    if (this.state !== 'starting') return;
    this.setState('running');
    this.readyAtMs = performance.now();
    this.lastPongAtMs = this.readyAtMs;
    this.startPinging();
    this.logger.info({ restarts: this.restarts }, 'worker ready');
    this.emit('ready');
    if (this.firstStart) {
      this.firstStart.resolve();
      this.firstStart = undefined;
    }
  }

  private startPinging(): void {
    const { pingIntervalMs, pingTimeoutMs } = this.options.supervision;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      const worker = this.worker;
      if (!worker || this.state !== 'running') return;
      const silentMs = performance.now() - this.lastPongAtMs;
      if (silentMs > pingTimeoutMs) {
        this.pendingCrash = { reason: 'unresponsive', message: `no pong for ${Math.round(silentMs)} ms` };
        void worker.terminate();
        return;
      }
      this.send({ type: 'ping', id: this.nextPingId });
      this.nextPingId = (this.nextPingId + 1) % 0x7fffffff;
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  private onExit(worker: Worker, exitCode: number): void {
    if (worker !== this.worker) return;
    clearTimeout(this.readyTimer);
    clearInterval(this.pingTimer);
    this.worker = undefined;
    const heldFrames = Atomics.exchange(this.stats, WorkerStat.HELD_FRAMES, 0);
    this.droppedFrames += heldFrames;

    if (this.state === 'stopping') {
      this.setState('stopped');
      this.rejectFirstStart('stopped before the worker was ready');
      this.stopped?.();
      return;
    }
    const crash = this.pendingCrash ?? {
      reason: exitCode === 0 ? ('exited' as const) : ('crashed' as const),
      message: `worker exited with code ${exitCode}`,
    };
    const report: CrashReport = {
      stageName: this.stageName,
      reason: crash.reason,
      message: crash.message,
      exitCode,
      droppedFrames: heldFrames,
    };

    if (this.firstStart) {
      // The first worker never became ready: a broken stage or config, not a transient fault.
      const error = new Error(`stage "${this.stageName}" failed to start: ${crash.message}`);
      this.setState('failed');
      this.emit('crash', report);
      this.firstStart.reject(error);
      this.firstStart = undefined;
      return;
    }

    const { supervision } = this.options;
    const wasHealthy = this.readyAtMs > 0 && performance.now() - this.readyAtMs >= supervision.healthyAfterMs;
    this.consecutiveFailures = wasHealthy ? 1 : this.consecutiveFailures + 1;
    this.readyAtMs = 0;
    if (this.consecutiveFailures > supervision.maxConsecutiveRestarts) {
      this.setState('failed');
      this.logger.error({ ...report, consecutiveFailures: this.consecutiveFailures }, 'worker failed for good');
      this.emit('crash', report);
      this.emit(
        'failed',
        new Error(
          `stage "${this.stageName}" failed ${this.consecutiveFailures} times in a row; last: ${crash.message}`,
        ),
      );
      return;
    }
    const delayMs = restartDelayMs(
      this.consecutiveFailures,
      supervision.restartBackoffInitialMs,
      supervision.restartBackoffMaxMs,
    );
    report.restartInMs = delayMs;
    this.logger.warn(report, 'worker died; restarting');
    this.setState('restarting');
    this.emit('crash', report);
    this.restartTimer = setTimeout(() => {
      this.restarts += 1;
      this.emit('restart', this.restarts);
      this.spawn();
    }, delayMs);
  }
}
