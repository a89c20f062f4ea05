/** Malformed messages in both directions reach real worker threads and are rejected, not acted on. */
import { afterEach, describe, expect, it } from 'vitest';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import { BUILTIN_STAGE_MODULES } from '../../../pipeline/stages/registry.js';
import { siblingModuleUrl } from '../../../pipeline/workers/module-url.js';
import type { WorkerToHost } from '../../../pipeline/workers/protocol.js';
import { WorkerHost } from '../../../pipeline/workers/worker-host.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { FAST_SUPERVISION, until } from './helpers.js';

const FRAME = 320;
let hosts: WorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  hosts = [];
});

function collectErrors(host: WorkerHost): Array<Extract<WorkerToHost, { type: 'error' }>> {
  const errors: Array<Extract<WorkerToHost, { type: 'error' }>> = [];
  host.on('workerError', (error) => errors.push(error));
  return errors;
}

describe('protocol rejection with real workers', () => {
  it('the worker rejects malformed host messages, reports them, and keeps working unchanged', async () => {
    const bus = new AudioBus();
    const input = bus.create('in', 'int16', FRAME * 8);
    const output = bus.create('out', 'int16', FRAME * 8);
    const { logger } = captureLogger('silent');
    const host = new WorkerHost({
      stageName: 'gain',
      stageModuleUrl: BUILTIN_STAGE_MODULES.gain,
      input,
      output,
      frameLengthSamples: FRAME,
      supervision: FAST_SUPERVISION,
      logger,
      logLevel: 'silent',
    });
    hosts.push(host);
    await host.start();
    const errors = collectErrors(host);

    host.sendUnchecked('garbage');
    host.sendUnchecked({ type: 'shutdown', reason: 42 });
    host.sendUnchecked({ type: 'event', event: { type: 'setVolume', volumeDb: 99 } });
    host.sendUnchecked({ type: 'event', event: { type: 'mute', now: true } });
    await until(() => errors.length === 4);
    expect(errors.every((e) => e.kind === 'protocol' && !e.fatal)).toBe(true);
    expect(errors[1]?.message).toMatch(/reason: .*got 42/);
    expect(errors[2]?.message).toMatch(/event\.volumeDb/);
    expect(errors[3]?.message).toMatch(/event\.now: unknown key/);

    // Not acted on: the worker did not shut down, and the gain is unchanged (0 dB, unmuted).
    input.push(new Int16Array(FRAME).fill(1000));
    const frame = new Int16Array(FRAME);
    await until(() => output.availableRead() >= FRAME);
    output.pop(frame);
    expect(frame[FRAME - 1]).toBe(1000);
    expect(host.getState()).toBe('running');

    // A valid event on the same lane still works.
    host.control({ type: 'setVolume', volumeDb: -6 });
    input.push(new Int16Array(FRAME).fill(1000));
    await until(() => output.availableRead() >= FRAME);
    output.pop(frame);
    expect(frame[FRAME - 1]).toBe(Math.round(1000 * 10 ** (-6 / 20)));
  });

  it('the host rejects malformed worker messages, counts and logs them, and still takes READY', async () => {
    const bus = new AudioBus();
    const { logger, lines } = captureLogger('warn');
    const host = new WorkerHost({
      stageName: 'chatty',
      stageModuleUrl: BUILTIN_STAGE_MODULES.passthrough,
      input: bus.create('in', 'int16', FRAME * 4),
      frameLengthSamples: FRAME,
      supervision: FAST_SUPERVISION,
      logger,
      entryUrl: siblingModuleUrl(import.meta.url, '../../doubles/chatty-worker'),
    });
    hosts.push(host);
    await host.start();
    expect(host.metrics().rejectedMessages).toBe(4);
    const warnings = lines.filter((line) => line.msg === 'rejected a malformed message from the worker');
    expect(warnings).toHaveLength(4);
    expect(String(warnings[1]?.problem)).toMatch(/launch-missiles/);
    expect(host.getState()).toBe('running');
  });
});
