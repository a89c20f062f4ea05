/**
 * Listen mode: what the wearer says, recognised and translated, utterance by utterance.
 * The microphone (a device or a WAV file) feeds two workers joined by a ring: denoise,
 * then VAD → ASR chained in one worker (the VAD's utterance tags and end events reach the
 * ASR in order only inside one thread). The VAD's endpoint events also go on the control
 * lane; transcripts come back as stage events, and the main thread translates each final
 * one (phrasebook, MT, safety filter), prefetching complete sentences from partials.
 *
 * With a live speaker (`speaker`), an echo-cancel worker goes in front of denoise, reading
 * what the speaker played from a reference ring, and the English is spoken through the
 * SpeakerSession (playout, masker, earcons, limiter, barge-in).
 */
import type { Logger } from 'pino';
import { IMPULSE_RESPONSE_LEAD_SAMPLES } from '../../calibration/calibration-profile.js';
import { AudioBus } from '../../pipeline/bus/audio-bus.js';
import { frameLengthSamples, msToSamples, PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import type { CollarConfig } from '../../pipeline/config/schema.js';
import type { ControlEvent } from '../../pipeline/control/control-event.js';
import { ControlLane } from '../../pipeline/control/control-lane.js';
import { speakableText } from '../../pipeline/engines/tts/speakable-text.js';
import type { AsrStageOptions, TranscriptEvent } from '../../pipeline/stages/asr/asr-stage.js';
import type { DenoiseOptions } from '../../pipeline/stages/denoise/denoise-stage.js';
import { BUILTIN_STAGE_MODULES } from '../../pipeline/stages/registry.js';
import { forwardEndpointEvents } from '../../pipeline/stages/vad/lane-forwarder.js';
import type { ChildTranslation, ChildTranslator } from '../../pipeline/text/child-translator.js';
import { WorkerHost } from '../../pipeline/workers/worker-host.js';
import type { CaptureEndpoint } from '../audio/endpoints.js';
import type { EarconName } from '../controller/controller.js';
import { EarconOverlay } from '../outputs/earcon-overlay.js';
import { renderEarcon } from '../outputs/earcons.js';
import { SpeakerSession, type SpeakerSessionOptions, type SpeakerSummary } from './speaker-session.js';

/** Longest wait, after a stop, for the utterance in progress to be recognised. */
const DRAIN_TIMEOUT_MS = 5_000;

export interface HeardUtterance {
  utteranceId: string;
  /** Stream positions of the speech, in seconds. */
  startS: number;
  endS: number;
  chinese: string;
  /** Audio the recogniser got: the speech plus its pre-roll and the trailing pause. */
  audioMs: number;
  asrDecodeMs: number;
  /** From the VAD's end decision to the final transcript, to the English, and to its first audio queued for the speaker. */
  endpointToTextMs: number;
  endpointToEnglishMs?: number;
  endpointToSpeechMs?: number;
  translation?: ChildTranslation;
  /** Why there is no translation (e.g. MT not installed), when there is none. */
  translationError?: string;
}

export interface ListenReport {
  capture: string;
  audioSeconds: number;
  wallSeconds: number;
  utterances: HeardUtterance[];
  /** What the live speaker played, when there was one, and the earcons it sounded, in order. */
  speaker?: SpeakerSummary & { earcons: EarconName[] };
}

/** Live speech out: the English played through the mute-feedback speaker path, with echo cancellation on the microphone. */
export interface LiveSpeakerOptions
  extends Omit<
    SpeakerSessionOptions,
    'speakerRing' | 'referenceRing' | 'micTapRing' | 'englishFlagRing' | 'frameSamples' | 'logger'
  > {
  /** The echo path's delay and impulse response from the calibration profile, when measured. */
  echoDelayMs?: number;
  echoImpulseResponse?: number[];
  /** How long to let queued English finish after the input ends. */
  finishTimeoutMs?: number;
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
  /** Speak the English live through a playback device. */
  speaker?: LiveSpeakerOptions;
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
  const host = (
    stageName: string,
    stageModuleUrl: string,
    input: RingBuffer,
    output: RingBuffer | undefined,
    stageOptions: unknown,
  ) =>
    new WorkerHost({
      stageName,
      stageModuleUrl,
      stageOptions,
      input,
      ...(output ? { output } : {}),
      frameLengthSamples: frameLength,
      supervision: config.workers,
      logger,
      logLevel: config.logging.level,
    });
  // With a live speaker, the microphone path starts with the echo canceller and feedback
  // guard (the mask-in stage), in the denoise worker, reading what the speaker played.
  const live = options.speaker;
  const reference = live ? bus.create('reference', 'int16', capacity) : undefined;
  const micTap = live ? bus.create('mic-tap', 'float32', capacity) : undefined;
  const englishFlags = live ? bus.create('english-flags', 'float32', Math.ceil(capacity / frameLength) + 1) : undefined;
  // Its own worker: denoise runs asynchronously (ONNX), so it cannot follow it in a chain.
  const cancelled = live ? bus.create('echo-cancelled', 'int16', capacity) : undefined;
  const echoCancel =
    reference && micTap && cancelled
      ? host('echo-cancel', BUILTIN_STAGE_MODULES['echo-cancel'], mic, cancelled, {
          referenceRing: reference.describe(),
          tapRing: micTap.describe(),
          ...(englishFlags ? { englishFlagRing: englishFlags.describe() } : {}),
          ...(live?.echoDelayMs !== undefined
            ? {
                initialDelayMs: live.echoDelayMs,
                // The profile allows delays up to 500 ms: search at least 50 ms past the measured one.
                maxDelayMs: Math.min(500, Math.max(300, Math.ceil(live.echoDelayMs + 50))),
              }
            : {}),
          ...(live?.echoDelayMs !== undefined && live.echoImpulseResponse
            ? {
                initialImpulseResponse: live.echoImpulseResponse,
                initialImpulseResponseLeadSamples: IMPULSE_RESPONSE_LEAD_SAMPLES,
              }
            : {}),
        })
      : undefined;
  const denoise = host('denoise', BUILTIN_STAGE_MODULES.denoise, cancelled ?? mic, clean, options.denoise);
  const listen = host('vad+asr', BUILTIN_STAGE_MODULES.chain, clean, undefined, {
    stages: [
      { name: 'vad', options: {} },
      { name: 'asr', options: options.asr },
    ],
  });
  const hosts = echoCancel ? [echoCancel, denoise, listen] : [denoise, listen];

  const lane = new ControlLane(logger);
  // Earcons for the wearer, mixed in before the limiter (and so cancelled from the microphone).
  const earcons = live ? new EarconOverlay() : undefined;
  const earconsPlayed: EarconName[] = [];
  const playEarcon = (name: EarconName): void => {
    if (!earcons) return;
    earcons.enqueue(renderEarcon(name));
    earconsPlayed.push(name);
  };
  const speaker =
    live && reference && micTap
      ? new SpeakerSession({
          ...live,
          ...(earcons ? { earcons } : {}),
          speakerRing: bus.create('speaker', 'int16', capacity),
          referenceRing: reference,
          micTapRing: micTap,
          ...(englishFlags ? { englishFlagRing: englishFlags } : {}),
          frameSamples: frameLength,
          logger,
        })
      : undefined;
  // The newest utterance the wearer started: under `interrupt`, English for an older one
  // that is not ready yet is abandoned (as the controller's state machine does).
  let newestUtteranceId: string | undefined;
  if (speaker) {
    lane.subscribe((event) => {
      if (event.type === 'speechStart') {
        newestUtteranceId = event.utteranceId;
        playEarcon('heard');
        speaker.setWearerSpeaking(true);
        speaker.onSpeechStart();
      } else if (event.type === 'speechEnd') {
        speaker.setWearerSpeaking(false);
      }
    });
  }
  const endDecidedAt = new Map<string, { wallMs: number; event: Extract<ControlEvent, { type: 'speechEnd' }> }>();
  lane.subscribe((event) => {
    if (event.type === 'speechEnd') endDecidedAt.set(event.utteranceId, { wallMs: performance.now(), event });
  });
  const stopForwarding = forwardEndpointEvents(listen, lane, logger);

  const utterances: HeardUtterance[] = [];
  const pending = new Set<Promise<void>>();
  const onTranscript = (transcript: TranscriptEvent) => {
    if (!transcript.isFinal) {
      options.translator?.prefetch(transcript.text);
      return;
    }
    const ended = endDecidedAt.get(transcript.utteranceId);
    endDecidedAt.delete(transcript.utteranceId);
    const heard: HeardUtterance = {
      utteranceId: transcript.utteranceId,
      startS: (ended?.event.startSample ?? 0) / PIPELINE_SAMPLE_RATE,
      endS: (ended?.event.endSample ?? 0) / PIPELINE_SAMPLE_RATE,
      chinese: transcript.text,
      audioMs: transcript.audioMs,
      asrDecodeMs: transcript.decodeMs,
      endpointToTextMs: ended ? performance.now() - ended.wallMs : Number.NaN,
    };
    const done = translate(options.translator, heard, ended?.wallMs)
      .then(() => {
        const abandoned = live?.bargeIn === 'interrupt' && newestUtteranceId !== heard.utteranceId;
        if (abandoned) logger.info({ utteranceId: heard.utteranceId }, 'not spoken: the wearer has spoken again since');
        if (abandoned || !speaker) return undefined;
        const speakable = speakableText(heard.translation?.english ?? '').text !== '';
        playEarcon(speakable ? 'englishComing' : 'notUnderstood');
        return speak(speaker, heard, ended?.wallMs, logger);
      })
      .then(() => {
        utterances.push(heard);
        options.onUtterance?.(heard);
      })
      .catch((error: unknown) =>
        logger.error({ err: error, utteranceId: heard.utteranceId }, 'reporting an utterance failed'),
      )
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  listen.on('stageEvent', (name, data) => {
    if (name === 'transcript') onTranscript(data as TranscriptEvent);
  });

  const startedMs = performance.now();
  let failure: Error | undefined;
  // The end of the input travels down the chain; the ASR's flush is the last step.
  const drained = new Promise<void>((resolve) => {
    listen.on('flushed', (message) => {
      if (message.reason === 'end-of-stream') resolve();
    });
  });
  const finished = new Promise<void>((resolve) => {
    const fail = (error: Error): void => {
      failure ??= error;
      resolve();
    };
    capture.on('error', fail);
    live?.playback.on('error', fail);
    for (const h of hosts) h.once('failed', fail);
    void drained.then(resolve);
    if (options.durationSeconds !== undefined) setTimeout(resolve, options.durationSeconds * 1000).unref();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await Promise.all(hosts.map((h) => h.start()));
    await speaker?.start();
    await capture.start(mic);
    await finished;
    if (!failure) {
      // Stopped by time or by the user: end the input so the utterance in progress is
      // still recognised and reported, but do not wait forever for it.
      await capture.stop();
      mic.close();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref())]);
    }
    await Promise.all(pending);
  } finally {
    await capture.stop();
    await speaker?.stop(failure ? 0 : (live?.finishTimeoutMs ?? 30_000));
    stopForwarding();
    await Promise.all(hosts.map((h) => h.stop()));
  }
  if (failure) throw failure;
  return {
    capture: capture.description,
    audioSeconds: capture.deliveredSamples() / PIPELINE_SAMPLE_RATE,
    wallSeconds: (performance.now() - startedMs) / 1000,
    utterances: utterances.sort((a, b) => a.startS - b.startS),
    ...(speaker ? { speaker: { ...speaker.summary(), earcons: earconsPlayed } } : {}),
  };
}

/** Queue the English for the speaker; resolves once its first audio is queued (or it ends). */
async function speak(
  speaker: SpeakerSession | undefined,
  heard: HeardUtterance,
  endDecidedWallMs: number | undefined,
  logger: Logger,
): Promise<void> {
  const english = heard.translation?.english ?? '';
  if (!speaker || speakableText(english).text === '') return;
  await new Promise<void>((resolve) => {
    speaker
      .say(heard.utteranceId, english, () => {
        if (endDecidedWallMs !== undefined) heard.endpointToSpeechMs = performance.now() - endDecidedWallMs;
        resolve();
      })
      .catch((error: unknown) => logger.error({ err: error, utteranceId: heard.utteranceId }, 'speaking failed'))
      .finally(resolve);
  });
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
