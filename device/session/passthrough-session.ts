/**
 * Monitor mode: microphone to speaker through the bus and the output-level (gain) stage
 * hosted in a worker thread (the same path the translating stages will take), so mute
 * and volume from the control lane act on what is heard. Until the translating stages
 * land, this is what `collar run` does; device testers also use it to measure the
 * pass-through latency of a device.
 */
import type { Logger } from 'pino';
import { AudioBus } from '../../pipeline/bus/audio-bus.js';
import { frameLengthSamples, msToSamples } from '../../pipeline/bus/audio-frame.js';
import type { CollarConfig } from '../../pipeline/config/schema.js';
import type { ControlLane } from '../../pipeline/control/control-lane.js';
import { BUILTIN_STAGE_MODULES } from '../../pipeline/stages/registry.js';
import { WorkerHost } from '../../pipeline/workers/worker-host.js';
import type { CaptureEndpoint, PlaybackEndpoint } from '../audio/endpoints.js';
import { LatencyProbe, type LatencySummary } from './latency-probe.js';

export interface PassthroughReport {
  capture: string;
  playback: string;
  audioSeconds: number;
  wallSeconds: number;
  framesProcessed: number;
  framesPlayed: number;
  underrunFrames: number;
  droppedFrames: number;
  micOverrunSamples: number;
  speakerOverrunSamples: number;
  latency: LatencySummary;
}

export interface PassthroughOptions {
  capture: CaptureEndpoint;
  playback: PlaybackEndpoint;
  config: CollarConfig;
  logger: Logger;
  /** Stop after this long (live devices); a WAV source ends by itself. */
  durationSeconds?: number;
  signal?: AbortSignal;
  /** Called once both devices are open and audio flows. */
  onStarted?: () => void;
  /** Control events (mute, volume, interrupt) for the hosted stage. */
  lane?: ControlLane;
}

export async function runPassthrough(options: PassthroughOptions): Promise<PassthroughReport> {
  const { capture, playback, config, logger } = options;
  const frameLength = frameLengthSamples(config.audio.frameMs);
  const capacity = Math.max(frameLength * 4, msToSamples(config.audio.ringCapacityMs));
  const bus = new AudioBus();
  const mic = bus.create('mic', 'int16', capacity);
  const speaker = bus.create('speaker', 'int16', capacity);
  const host = new WorkerHost({
    stageName: 'gain',
    stageModuleUrl: BUILTIN_STAGE_MODULES.gain,
    stageOptions: { volumeDb: config.controller.volumeDb },
    input: mic,
    output: speaker,
    frameLengthSamples: frameLength,
    supervision: config.workers,
    logger,
    logLevel: config.logging.level,
  });
  await host.start();
  const unsubscribe = options.lane?.subscribe((event) => host.control(event));
  const probe = new LatencyProbe(
    () => capture.deliveredSamples(),
    () => playback.framesPlayed() * frameLengthSamples(20),
  );
  const startedMs = performance.now();
  let failure: Error | undefined;
  const finished = new Promise<void>((resolve) => {
    const fail = (error: Error): void => {
      failure ??= error;
      resolve();
    };
    capture.on('error', fail);
    playback.on('error', fail);
    host.once('failed', fail);
    playback.once('end', () => resolve());
    if (options.durationSeconds !== undefined) {
      setTimeout(resolve, options.durationSeconds * 1000).unref();
    }
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  let report: PassthroughReport | undefined;
  try {
    await playback.start(speaker);
    await capture.start(mic);
    options.onStarted?.();
    probe.start();
    await finished;
  } finally {
    const latency = probe.stop();
    await capture.stop();
    await playback.stop();
    unsubscribe?.();
    await host.stop();
    const metrics = host.metrics();
    report = {
      capture: capture.description,
      playback: playback.description,
      audioSeconds: capture.deliveredSamples() / 16_000,
      wallSeconds: (performance.now() - startedMs) / 1000,
      framesProcessed: metrics.framesIn,
      framesPlayed: playback.framesPlayed(),
      underrunFrames: playback.underrunFrames(),
      droppedFrames: metrics.droppedFrames,
      micOverrunSamples: mic.stats().overrunSamples,
      speakerOverrunSamples: speaker.stats().overrunSamples,
      latency,
    };
    logger.info(report, 'pass-through session ended');
  }
  if (failure) throw failure;
  return report;
}
