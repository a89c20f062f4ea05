/**
 * Runs the device under the controller and keeps it running: a capture or playback
 * device that errors or disappears moves the controller to `fault`; the runner retries
 * with doubling backoff, re-resolving the devices each time, and returns to `idle` when
 * they are back. Nothing here throws for a lost device; only bad input at the very
 * first start (an unknown device name, an unreadable file) ends the run.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CollarConfig } from '../../pipeline/config/schema.js';
import type { ControlLane } from '../../pipeline/control/control-lane.js';
import { restartDelayMs } from '../../pipeline/workers/backoff.js';
import type { CaptureEndpoint, PlaybackEndpoint } from '../audio/endpoints.js';
import type { Controller } from '../controller/controller.js';
import { type PassthroughReport, runPassthrough } from './passthrough-session.js';

export interface Endpoints {
  capture: CaptureEndpoint;
  playback: PlaybackEndpoint;
}

export interface DeviceRunnerOptions {
  /** Opens (and re-resolves) the devices; called again on every retry. */
  openEndpoints(): Promise<Endpoints>;
  controller: Controller;
  config: CollarConfig;
  logger: Logger;
  /** Total run time across recoveries (live devices); unset = until aborted or the source ends. */
  durationSeconds?: number;
  signal?: AbortSignal;
  /** Control events for the pipeline (mute, volume, interrupt). */
  lane?: ControlLane;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface DeviceRunReport {
  sessions: PassthroughReport[];
  faults: string[];
}

export async function runDevice(options: DeviceRunnerOptions): Promise<DeviceRunReport> {
  const { controller, logger } = options;
  const deadlineMs =
    options.durationSeconds === undefined
      ? Number.POSITIVE_INFINITY
      : performance.now() + options.durationSeconds * 1000;
  const sessions: PassthroughReport[] = [];
  const faults: string[] = [];
  let firstStart = true;
  let attempt = 0;
  while (!options.signal?.aborted && performance.now() < deadlineMs) {
    let endpoints: Endpoints;
    try {
      endpoints = await options.openEndpoints();
    } catch (error) {
      if (firstStart) throw error;
      attempt += 1;
      faults.push((error as Error).message);
      controller.dispatch({ type: 'deviceLost', reason: (error as Error).message });
      await backoff(options, attempt, deadlineMs);
      continue;
    }
    try {
      const remainingMs = deadlineMs - performance.now();
      const session = runPassthrough({
        capture: endpoints.capture,
        playback: endpoints.playback,
        config: options.config,
        logger,
        durationSeconds: Number.isFinite(remainingMs) ? Math.max(0, remainingMs / 1000) : undefined,
        signal: options.signal,
        lane: options.lane,
        onStarted: () => {
          controller.dispatch({ type: controller.getState().status === 'fault' ? 'deviceRestored' : 'bootComplete' });
          attempt = 0;
        },
      });
      firstStart = false;
      sessions.push(await session);
      return { sessions, faults };
    } catch (error) {
      firstStart = false;
      attempt += 1;
      const reason = (error as Error).message;
      faults.push(reason);
      logger.warn({ reason, attempt }, 'device lost; will retry');
      controller.dispatch({ type: 'deviceLost', reason });
      await backoff(options, attempt, deadlineMs);
    }
  }
  return { sessions, faults };
}

async function backoff(options: DeviceRunnerOptions, attempt: number, deadlineMs: number): Promise<void> {
  const delayMs = Math.min(
    restartDelayMs(attempt, options.retryInitialMs ?? 200, options.retryMaxMs ?? 5_000),
    Math.max(0, deadlineMs - performance.now()),
  );
  await sleep(delayMs, undefined, { signal: options.signal }).catch(() => undefined);
}
