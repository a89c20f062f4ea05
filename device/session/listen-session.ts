/**
 * Listen mode: what the wearer says, recognised and translated, utterance by utterance —
 * the translating half of the pipeline, before synthesis. The microphone (a device or a
 * WAV file) feeds three worker-hosted stages chained by rings: denoise → VAD → ASR. The
 * VAD's endpoint events go on the control lane (the ASR stage follows them to find and end
 * utterances); transcripts come back as stage events, and the main thread translates each
 * final one (phrasebook, MT, safety filter), prefetching complete sentences from partials.
 */
import type { Logger } from 'pino';
import { AudioBus } from '../../pipeline/bus/audio-bus.js';
import { frameLengthSamples, msToSamples, PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { CollarConfig } from '../../pipeline/config/schema.js';
import type { ControlEvent } from '../../pipeline/control/control-event.js';
import { ControlLane } from '../../pipeline/control/control-lane.js';
import type { AsrStageOptions, TranscriptEvent } from '../../pipeline/stages/asr/asr-stage.js';
import type { DenoiseOptions } from '../../pipeline/stages/denoise/denoise-stage.js';
import { BUILTIN_STAGE_MODULES } from '../../pipeline/stages/registry.js';
import { forwardEndpointEvents } from '../../pipeline/stages/vad/lane-forwarder.js';
import type { ChildTranslation, ChildTranslator } from '../../pipeline/text/child-translator.js';
import { WorkerHost } from '../../pipeline/workers/worker-host.js';
import type { CaptureEndpoint } from '../audio/endpoints.js';

export interface HeardUtterance {
  utteranceId: string;
  /** Stream positions of the speech, in seconds. */
  startS: number;
  endS: number;
  chinese: string;
  asrDecodeMs: number;
  /** From the VAD's end decision to the final transcript, and to the English. */
  endpointToTextMs: number;
  endpointToEnglishMs?: number;
  translation?: ChildTranslation;
  /** Why there is no translation (e.g. MT not installed), when there is none. */
  translationError?: string;
}

export interface ListenReport {
  capture: string;
  audioSeconds: number;
  wallSeconds: number;
  utterances: HeardUtterance[];
}

export interface ListenOptions {
  capture: CaptureEndpoint;
  config: CollarConfig;
  logger: Logger;
  denoise: DenoiseOptions;
  asr: AsrStageOptions;
  /** Undefined: transcripts only. */
  translator?: ChildTranslator;
  onUtterance?: (utterance: HeardUtterance) => void;
  durationSeconds?: number;
  signal?: AbortSignal;
}

export async function runListen(options: ListenOptions): Promise<ListenReport> {
  const { capture, config, logger } = options;
  const frameLength = frameLengthSamples(config.audio.frameMs);
  // Rings hold a few seconds: a WAV feeds faster than real time, and ASR decodes in bursts.
  const capacity = Math.max(frameLength * 4, msToSamples(config.audio.ringCapacityMs), msToSamples(4_000));
  const bus = new AudioBus();
  const mic = bus.create('mic', 'int16', capacity);
  const clean = bus.create('clean', 'int16', capacity);
  const speech = bus.create('speech', 'int16', capacity);
  const host = (
    stageName: 'denoise' | 'vad' | 'asr',
    input: typeof mic,
    output: typeof mic | undefined,
    stageOptions: unknown,
  ) =>
    new WorkerHost({
      stageName,
      stageModuleUrl: BUILTIN_STAGE_MODULES[stageName],
      stageOptions,
      input,
      ...(output ? { output } : {}),
      frameLengthSamples: frameLength,
      supervision: config.workers,
      logger,
      logLevel: config.logging.level,
    });
  const denoise = host('denoise', mic, clean, options.denoise);
  const vad = host('vad', clean, speech, {});
  const asr = host('asr', speech, undefined, options.asr);
  const hosts = [denoise, vad, asr];

  const lane = new ControlLane(logger);
  const endDecidedAt = new Map<string, { wallMs: number; event: Extract<ControlEvent, { type: 'speechEnd' }> }>();
  lane.subscribe((event) => {
    if (event.type === 'speechEnd') endDecidedAt.set(event.utteranceId, { wallMs: performance.now(), event });
    asr.control(event);
  });
  const stopForwarding = forwardEndpointEvents(vad, lane, logger);

  const utterances: HeardUtterance[] = [];
  const pending = new Set<Promise<void>>();
  const onTranscript = (transcript: TranscriptEvent) => {
    if (!transcript.isFinal) {
      options.translator?.prefetch(transcript.text);
      return;
    }
    const ended = endDecidedAt.get(transcript.utteranceId);
    const heard: HeardUtterance = {
      utteranceId: transcript.utteranceId,
      startS: (ended?.event.startSample ?? 0) / PIPELINE_SAMPLE_RATE,
      endS: (ended?.event.endSample ?? 0) / PIPELINE_SAMPLE_RATE,
      chinese: transcript.text,
      asrDecodeMs: transcript.decodeMs,
      endpointToTextMs: ended ? performance.now() - ended.wallMs : Number.NaN,
    };
    const done = translate(options.translator, heard, ended?.wallMs).then(() => {
      utterances.push(heard);
      options.onUtterance?.(heard);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  asr.on('stageEvent', (name, data) => {
    if (name === 'transcript') onTranscript(data as TranscriptEvent);
  });

  const startedMs = performance.now();
  let failure: Error | undefined;
  const finished = new Promise<void>((resolve) => {
    const fail = (error: Error): void => {
      failure ??= error;
      resolve();
    };
    capture.on('error', fail);
    for (const h of hosts) h.once('failed', fail);
    // The end of the file travels down the chain; the ASR stage's flush is the last step.
    asr.on('flushed', (message) => {
      if (message.reason === 'end-of-stream') resolve();
    });
    if (options.durationSeconds !== undefined) setTimeout(resolve, options.durationSeconds * 1000).unref();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await Promise.all(hosts.map((h) => h.start()));
    await capture.start(mic);
    await finished;
    await Promise.all(pending);
  } finally {
    await capture.stop();
    stopForwarding();
    await Promise.all(hosts.map((h) => h.stop()));
  }
  if (failure) throw failure;
  return {
    capture: capture.description,
    audioSeconds: capture.deliveredSamples() / PIPELINE_SAMPLE_RATE,
    wallSeconds: (performance.now() - startedMs) / 1000,
    utterances: utterances.sort((a, b) => a.startS - b.startS),
  };
}

async function translate(
  translator: ChildTranslator | undefined,
  heard: HeardUtterance,
  endDecidedWallMs: number | undefined,
): Promise<void> {
  if (!translator || heard.chinese === '') return;
  try {
    heard.translation = await translator.translate(heard.chinese);
    if (endDecidedWallMs !== undefined) heard.endpointToEnglishMs = performance.now() - endDecidedWallMs;
  } catch (error) {
    heard.translationError = error instanceof Error ? error.message : String(error);
  }
}
