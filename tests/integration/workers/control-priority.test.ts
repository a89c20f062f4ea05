/**
 * The control lane does not wait behind queued audio: with a second of audio queued in
 * front of a slow worker stage, an interrupt is applied before the next frame, clears the
 * backlog, and is acknowledged long before the backlog could have been worked through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { siblingModuleUrl } from '../../../pipeline/workers/module-url.js';
import type { WorkerToHost } from '../../../pipeline/workers/protocol.js';
import { WorkerHost } from '../../../pipeline/workers/worker-host.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { FAST_SUPERVISION, waitFor } from './helpers.js';

const FRAME = 320;
const PROCESS_DELAY_MS = 10;
const BACKLOG_FRAMES = 100;
let host: WorkerHost | undefined;
afterEach(async () => {
  await host?.stop();
  host = undefined;
});

describe('control lane priority with a real worker', () => {
  it('an interrupt overtakes a 100-frame backlog and clears it', async () => {
    const bus = new AudioBus();
    const input = bus.create('in', 'int16', FRAME * (BACKLOG_FRAMES + 10));
    const output = bus.create('out', 'int16', FRAME * (BACKLOG_FRAMES + 10));
    const { logger } = captureLogger('silent');
    host = new WorkerHost({
      stageName: 'slow',
      stageModuleUrl: siblingModuleUrl(import.meta.url, '../../doubles/scripted-stage'),
      stageOptions: { processDelayMs: PROCESS_DELAY_MS },
      input,
      output,
      frameLengthSamples: FRAME,
      supervision: { ...FAST_SUPERVISION, pingTimeoutMs: 10_000 },
      logger,
      logLevel: 'silent',
    });
    await host.start();
    const lane = new ControlLane(logger);
    lane.subscribe((event) => host?.control(event));

    for (let i = 0; i < BACKLOG_FRAMES; i++) input.push(new Int16Array(FRAME).fill(i + 1));
    while (host.metrics().framesIn < 3) await new Promise((resolve) => setTimeout(resolve, 1));

    const flushed = waitFor<Extract<WorkerToHost, { type: 'flushed' }>>(host, 'flushed');
    lane.send({ type: 'interrupt', reason: 'barge-in' });
    const ack = await flushed;

    expect(ack.reason).toBe('interrupt');
    // Most of the backlog was still queued and is dropped on purpose (counted as cleared).
    expect(ack.clearedSamples).toBeGreaterThan(FRAME * (BACKLOG_FRAMES / 2));
    expect(input.stats().clearedSamples).toBe(ack.clearedSamples);
    // The interrupt waited for the frame in progress, not for the backlog behind it.
    expect(host.metrics().framesIn).toBeLessThan(BACKLOG_FRAMES / 2);
  });
});
