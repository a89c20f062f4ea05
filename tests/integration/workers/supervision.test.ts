/**
 * Supervision with real worker threads: a worker killed mid-stream, one that throws,
 * one that stops answering pings, and one that keeps failing. Every frame pushed is
 * either delivered or counted as dropped.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AudioBus } from '../../../pipeline/bus/audio-bus.js';
import type { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import { siblingModuleUrl } from '../../../pipeline/workers/module-url.js';
import { type CrashReport, WorkerHost } from '../../../pipeline/workers/worker-host.js';
import { CRASH_MARKER, HANG_MARKER } from '../../doubles/scripted-stage.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { FAST_SUPERVISION, until, waitFor } from './helpers.js';

const FRAME = 320;
const SCRIPTED_STAGE = siblingModuleUrl(import.meta.url, '../../doubles/scripted-stage');

let hosts: WorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  hosts = [];
});

function makeHost(stageOptions: unknown, supervision = FAST_SUPERVISION) {
  const bus = new AudioBus();
  const input = bus.create('in', 'int16', FRAME * 64);
  const output = bus.create('out', 'int16', FRAME * 64);
  const { logger, lines } = captureLogger('warn');
  const host = new WorkerHost({
    stageName: 'scripted',
    stageModuleUrl: SCRIPTED_STAGE,
    stageOptions,
    input,
    output,
    frameLengthSamples: FRAME,
    supervision,
    logger,
    logLevel: 'silent',
  });
  hosts.push(host);
  return { host, input, output, lines };
}

function frameOf(value: number): Int16Array {
  return new Int16Array(FRAME).fill(value);
}

/** Pops every whole frame available and returns the first sample of each. */
function drain(output: RingBuffer, into: number[]): void {
  const frame = new Int16Array(FRAME);
  while (output.availableRead() >= FRAME) {
    output.pop(frame, FRAME);
    into.push(frame[0] as number);
  }
}

describe('worker supervision', () => {
  it('restarts a worker killed mid-stream and counts the frames it held as dropped', async () => {
    const { host, input, output } = makeHost({ processDelayMs: 15 });
    await host.start();
    const received: number[] = [];
    const totalFrames = 40;
    for (let i = 1; i <= 20; i++) input.push(frameOf(i));
    // Kill while the stage is inside an (async) process call, i.e. holding a frame.
    await until(() => host.metrics().framesIn >= 5 && host.metrics().heldFrames === 1);
    const crash = waitFor<CrashReport>(host, 'crash');
    const restarted = waitFor(host, 'ready');
    await host.terminateWorker('killed by the test');
    const report = await crash;
    expect(report.reason).toBe('crashed');
    expect(report.droppedFrames).toBe(1);
    await restarted;
    expect(host.metrics().restarts).toBe(1);

    for (let i = 21; i <= totalFrames; i++) input.push(frameOf(i));
    await until(() => {
      drain(output, received);
      const m = host.metrics();
      return input.availableRead() === 0 && m.heldFrames === 0 && received.length + m.droppedFrames === totalFrames;
    });
    // Conservation: every frame pushed was delivered once, in order, or counted as dropped.
    const metrics = host.metrics();
    expect(metrics.droppedFrames).toBe(1);
    expect(received.length).toBe(totalFrames - 1);
    expect(received).toEqual([...received].sort((a, b) => a - b));
    expect(new Set(received).size).toBe(received.length);
    expect(metrics.state).toBe('running');
  });

  it('restarts a worker whose stage throws, dropping the frame that crashed it', async () => {
    const { host, input, output } = makeHost({});
    await host.start();
    const crash = waitFor<CrashReport>(host, 'crash');
    input.push(frameOf(1));
    input.push(frameOf(CRASH_MARKER));
    input.push(frameOf(3));
    const report = await crash;
    expect(report.reason).toBe('crashed');
    expect(report.message).toMatch(/scripted crash/);
    expect(report.droppedFrames).toBe(1);
    const received: number[] = [];
    await until(() => {
      drain(output, received);
      return received.length === 2;
    });
    expect(received).toEqual([1, 3]);
    expect(host.metrics().droppedFrames).toBe(1);
  });

  it('restarts a worker that stops answering pings', async () => {
    const { host, input, output } = makeHost({});
    await host.start();
    const crash = waitFor<CrashReport>(host, 'crash');
    input.push(frameOf(HANG_MARKER));
    const report = await crash;
    expect(report.reason).toBe('unresponsive');
    expect(report.droppedFrames).toBe(1);
    await waitFor(host, 'ready');
    input.push(frameOf(9));
    const received: number[] = [];
    await until(() => {
      drain(output, received);
      return received.length === 1;
    });
    expect(received).toEqual([9]);
  });

  it('gives up after maxConsecutiveRestarts and reports failed', async () => {
    const { host, input } = makeHost({}, { ...FAST_SUPERVISION, maxConsecutiveRestarts: 2 });
    await host.start();
    const failed = waitFor<Error>(host, 'failed');
    const delays: number[] = [];
    host.on('crash', (report) => {
      if (report.restartInMs !== undefined) delays.push(report.restartInMs);
    });
    // Each restarted worker meets another crash marker.
    for (let i = 0; i < 3; i++) input.push(frameOf(CRASH_MARKER));
    const error = await failed;
    expect(error.message).toMatch(/failed 3 times in a row/);
    expect(host.getState()).toBe('failed');
    expect(delays).toEqual([20, 40]);
    expect(host.metrics().droppedFrames).toBe(3);
  });

  it('refuses to start a stage module that does not export a factory', async () => {
    const bus = new AudioBus();
    const { logger } = captureLogger('silent');
    const host = new WorkerHost({
      stageName: 'broken',
      stageModuleUrl: siblingModuleUrl(import.meta.url, './helpers'),
      input: bus.create('in', 'int16', FRAME * 4),
      frameLengthSamples: FRAME,
      supervision: FAST_SUPERVISION,
      logger,
    });
    hosts.push(host);
    await expect(host.start()).rejects.toThrow(/does not export a stage factory named "createStage"/);
    expect(host.getState()).toBe('failed');
  });
});

describe('worker host lifecycle edges', () => {
  it('start() rejects when stop() comes before READY, and concurrent stops both resolve', async () => {
    const { host } = makeHost({});
    const started = host.start();
    const [first, second] = [host.stop(), host.stop()];
    await expect(started).rejects.toThrow(/stopped before the worker was ready/);
    await Promise.all([first, second]);
    expect(host.getState()).toBe('stopped');
  });

  it('a restarted worker resumes the settings it had (mute survives a crash)', async () => {
    const bus = new AudioBus();
    const input = bus.create('in', 'int16', FRAME * 16);
    const output = bus.create('out', 'int16', FRAME * 16);
    const { logger } = captureLogger('silent');
    const host = new WorkerHost({
      stageName: 'gain',
      stageModuleUrl: siblingModuleUrl(import.meta.url, '../../../pipeline/stages/gain/gain-stage'),
      input,
      output,
      frameLengthSamples: FRAME,
      supervision: FAST_SUPERVISION,
      logger,
      logLevel: 'silent',
    });
    hosts.push(host);
    await host.start();
    host.control({ type: 'mute' });
    const restarted = waitFor(host, 'ready');
    await host.terminateWorker('killed by the test');
    await restarted;
    input.push(frameOf(5000));
    input.push(frameOf(5000));
    const frame = new Int16Array(FRAME);
    await until(() => output.availableRead() >= 2 * FRAME);
    output.pop(frame);
    output.pop(frame);
    expect(Array.from(frame).every((v) => v === 0)).toBe(true);
  });
});
