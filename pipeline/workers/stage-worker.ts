/**
 * Worker-thread entry point: builds one stage from workerData, answers the host's
 * protocol, and runs the stage's frame loop. Anything the stage throws ends this thread
 * with an error; the host counts the held frames as dropped and restarts it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RealtimeClock } from '../bus/clock.js';
import { RingBuffer } from '../bus/ring-buffer.js';
import { formatZodIssues } from '../config/format-issues.js';
import { createRootLogger } from '../logging/logger.js';
import type { Stage, StageContext, StageFactory } from '../stages/stage.js';
import { parseHostToWorker, type WorkerToHost } from './protocol.js';
import { StageLoop } from './stage-loop.js';
import { StageWorkerDataSchema } from './worker-data.js';
import { WorkerStat } from './worker-stats.js';

function post(message: WorkerToHost): void {
  parentPort?.postMessage(message);
}

function fail(kind: 'startup' | 'stage', error: unknown): never {
  const err = error instanceof Error ? error : new Error(String(error));
  const message: WorkerToHost = { type: 'error', kind, message: err.message, fatal: true };
  if (err.stack) message.stack = err.stack;
  post(message);
  process.exit(1);
}

async function main(): Promise<void> {
  if (!parentPort) throw new Error('stage-worker must run in a worker thread');
  const port = parentPort;
  const parsedData = StageWorkerDataSchema.safeParse(workerData);
  if (!parsedData.success) {
    fail('startup', new Error(`invalid workerData: ${formatZodIssues(parsedData.error.issues, workerData)}`));
  }
  const data = parsedData.data;
  const logger = createRootLogger({ level: data.logLevel, base: { thread: 'worker', stage: data.stageName } });
  const stats = new Int32Array(data.stats);
  const abort = new AbortController();

  const module = (await import(data.stageModuleUrl)) as Record<string, unknown>;
  const factory = module[data.exportName];
  if (typeof factory !== 'function') {
    fail('startup', new Error(`${data.stageModuleUrl} does not export a stage factory named "${data.exportName}"`));
  }
  const stage: Stage = (factory as StageFactory)(data.options);

  const input = RingBuffer.attach(data.input);
  const output = data.output ? RingBuffer.attach(data.output) : undefined;
  output?.reopen();
  const loop = new StageLoop({
    stage,
    input,
    output,
    frameLengthSamples: data.frameLengthSamples,
    sampleRate: data.sampleRate,
    startPtsSamples: data.startPtsSamples,
    stats,
    signal: abort.signal,
    onFlushed: (reason, clearedSamples) => post({ type: 'flushed', reason, clearedSamples }),
    onConfig: (config) => {
      if (!stage.configure) {
        post({
          type: 'error',
          kind: 'protocol',
          message: `stage "${stage.name}" takes no configuration at run time`,
          fatal: false,
        });
        return;
      }
      try {
        stage.configure(config);
      } catch (error) {
        post({ type: 'error', kind: 'stage', message: (error as Error).message, fatal: false });
      }
    },
  });

  const ctx: StageContext = {
    signal: abort.signal,
    clock: new RealtimeClock(data.sampleRate),
    logger,
    emit: (frame) => loop.emit(frame),
    emitEvent: (name, eventData) => post({ type: 'event', name, data: eventData }),
  };

  let shuttingDown = false;
  port.on('message', (raw: unknown) => {
    Atomics.add(stats, WorkerStat.MESSAGES_RECEIVED, 1);
    const parsed = parseHostToWorker(raw);
    if (!parsed.ok) {
      logger.warn({ problem: parsed.problem }, 'rejected a malformed message from the host');
      post({ type: 'error', kind: 'protocol', message: parsed.problem, fatal: false });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ping':
        post({ type: 'pong', id: message.id });
        break;
      case 'event':
        loop.enqueueControl(message.event);
        break;
      case 'config':
        loop.enqueueControl({ type: 'config', config: message.config });
        break;
      case 'shutdown':
        if (shuttingDown) break;
        shuttingDown = true;
        abort.abort(new Error(message.reason ?? 'shutdown'));
        break;
    }
  });

  try {
    await stage.start(ctx);
  } catch (error) {
    fail('startup', error);
  }
  post({ type: 'ready', stage: stage.name });
  try {
    await loop.run();
  } catch (error) {
    logger.error({ err: error }, 'stage failed; the worker ends and the host restarts it');
    fail('stage', error);
  }
  await stage.close();
  port.close();
}

main().catch((error) => fail('startup', error));
