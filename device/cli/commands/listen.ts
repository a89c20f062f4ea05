/**
 * `collar listen`: hear the wearer and print, utterance by utterance, what was recognised
 * and the English the child hears (denoise → VAD → ASR in worker threads, then phrasebook
 * / MT / safety filter). The microphone is a device or a WAV file. `--out` writes the
 * English as speech to a WAV; `--playback-device` speaks it live through the mute-feedback
 * stage (echo cancellation and feedback guard on the microphone, masker and limiter on
 * the speaker, barge-in).
 */

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CalibrationProfileError, loadCalibrationProfile } from '../../../calibration/profile-store.js';
import { loadConfig } from '../../../pipeline/config/load-config.js';
import { ASR_ENGINES } from '../../../pipeline/engines/asr/load-asr-engine.js';
import { DENOISE_ENGINES } from '../../../pipeline/engines/denoise/denoise-engine.js';
import { loadMarianEngine } from '../../../pipeline/engines/mt/marian-engine.js';
import { loadTtsEngine } from '../../../pipeline/engines/tts/load-tts-engine.js';
import { speakableText } from '../../../pipeline/engines/tts/speakable-text.js';
import type { ClauseSynthesizer } from '../../../pipeline/engines/tts/tts-engine.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { MASKER_MODES, type MaskerMode } from '../../../pipeline/stages/speaker/masker-level.js';
import { ChildTranslator } from '../../../pipeline/text/child-translator.js';
import { loadPhrasebook } from '../../../pipeline/text/phrasebook/load-phrasebook.js';
import { PhrasebookFileError } from '../../../pipeline/text/phrasebook/phrasebook-file-error.js';
import { ChildSafetyFilter } from '../../../pipeline/text/safety/child-safety-filter.js';
import { VoicePackUsageError } from '../../../voices/errors.js';
import type { VoicePack } from '../../../voices/pack-manifest.js';
import { VoicePackRegistry } from '../../../voices/pack-registry.js';
import type { CaptureEndpoint } from '../../audio/endpoints.js';
import { PortAudioCapture } from '../../audio/portaudio-capture.js';
import { listDevices, resolveDevice } from '../../audio/portaudio-devices.js';
import { PortAudioPlayback } from '../../audio/portaudio-playback.js';
import { WavCapture } from '../../audio/wav-capture.js';
import { WavFormatError, writeWav16 } from '../../audio/wav-file.js';
import { calibrationInUse } from '../../session/calibration-in-use.js';
import { type HeardUtterance, type LiveSpeakerOptions, runListen } from '../../session/listen-session.js';
import { SpokenEnglish } from '../../session/spoken-english.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { defaultPhrasebookFile } from './translate.js';

interface ListenCliOptions {
  out?: string;
  playbackDevice?: string;
  rate?: string;
  mask?: string;
  profile?: string;
  voice?: string;
  in?: string;
  captureDevice?: string;
  realtime?: boolean;
  duration?: string;
  engine: string;
  denoise: string;
  translate: boolean;
  phrasebook?: string;
  json?: boolean;
}

function describe(heard: HeardUtterance): string {
  const span = `${heard.startS.toFixed(2)}–${heard.endS.toFixed(2)} s`;
  const lines = [`${heard.utteranceId}  ${span}  ${heard.chinese || '(nothing recognised)'}`];
  if (heard.translation) {
    const t = heard.translation;
    const source = t.source === 'phrasebook' ? `phrasebook ${t.phrase?.id}` : t.source;
    lines.push(
      `   → ${t.english}   (${source}; text ${heard.endpointToTextMs.toFixed(0)} ms, English ${heard.endpointToEnglishMs?.toFixed(0) ?? '?'} ms after the end)`,
    );
    if (heard.endpointToSpeechMs !== undefined) {
      lines.push(
        `   ♪ first English audio queued for the speaker ${heard.endpointToSpeechMs.toFixed(0)} ms after the end of speech`,
      );
    }
  } else if (heard.translationError) {
    lines.push(`   → not translated: ${heard.translationError}`);
  }
  return lines.join('\n');
}

export function registerListenCommand(program: Command): void {
  program
    .command('listen')
    .description(
      'recognise and translate what the wearer says, utterance by utterance; speak it to a WAV (--out) or live (--playback-device)',
    )
    .option('--in <file.wav>', 'read the microphone from a WAV file instead of a device')
    .option('--capture-device <name|id>', 'PortAudio capture device (see `collar devices`)')
    .option('--realtime', 'feed --in at real-time speed instead of as fast as possible')
    .option('--duration <seconds>', 'stop after this long (a device listens until Ctrl-C otherwise)')
    .option('--engine <name>', `recogniser: auto | ${ASR_ENGINES.join(' | ')}`, 'auto')
    .option('--denoise <engine>', `noise suppression: auto | ${DENOISE_ENGINES.join(' | ')}`, 'auto')
    .option('--no-translate', 'print the transcripts only')
    .option('--phrasebook <file>', 'the family phrasebook JSON (default: phrasebook.json beside the config file)')
    .option('--json', 'print one JSON line per utterance')
    .option('--out <file.wav>', 'speak the English in the voice pack in use (or --voice) and write it here (16 kHz)')
    .option(
      '--voice <pack>',
      'voice pack for --out / --playback-device (default: the one in use, see `collar voices list`)',
    )
    .option(
      '--playback-device <name|id>',
      'speak the English live on this device, with echo cancellation, the feedback guard and masking',
    )
    .option('--rate <hz>', 'hardware sample rate for live devices (default: each device’s default)')
    .option('--mask <mode>', `masker while the wearer speaks: ${MASKER_MODES.join(' | ')} (default: the config's)`)
    .option('--profile <file>', 'calibration profile (default: calibration.json beside the config file)')
    .action(async (options: ListenCliOptions) => {
      if (options.engine !== 'auto' && !(ASR_ENGINES as readonly string[]).includes(options.engine)) {
        throw new UsageError(`unknown engine "${options.engine}"; choose one of auto, ${ASR_ENGINES.join(', ')}`);
      }
      if (options.denoise !== 'auto' && !(DENOISE_ENGINES as readonly string[]).includes(options.denoise)) {
        throw new UsageError(
          `unknown denoise engine "${options.denoise}"; choose one of auto, ${DENOISE_ENGINES.join(', ')}`,
        );
      }
      const duration = options.duration === undefined ? undefined : Number(options.duration);
      if (duration !== undefined && !(duration > 0))
        throw new UsageError(`--duration must be a number > 0, got "${options.duration}"`);
      const rate = options.rate === undefined ? undefined : Number(options.rate);
      if (rate !== undefined && !(Number.isInteger(rate) && rate >= 8_000 && rate <= 192_000)) {
        throw new UsageError(`--rate must be a whole number of Hz from 8000 to 192000, got "${options.rate}"`);
      }
      if ((options.mask || options.profile) && !options.playbackDevice) {
        throw new UsageError('--mask and --profile are for live speech: give --playback-device too');
      }
      if (options.mask !== undefined && !(MASKER_MODES as readonly string[]).includes(options.mask)) {
        throw new UsageError(`--mask must be one of ${MASKER_MODES.join(', ')}, got "${options.mask}"`);
      }
      // A profile named on the command line must be there and readable; the default one may be absent.
      if (options.profile) {
        try {
          if (loadCalibrationProfile({ file: options.profile }).status === 'missing') {
            throw new UsageError(
              `--profile ${options.profile}: no such file; run \`collar calibrate --profile ${options.profile}\``,
            );
          }
        } catch (error) {
          if (error instanceof CalibrationProfileError) throw new UsageError(error.message);
          throw error;
        }
      }
      // The speaker is resolved before any model loads, so a wrong name fails at once.
      const playbackDevice = options.playbackDevice
        ? resolveDevice(await listDevices(), options.playbackDevice, 'playback')
        : undefined;
      const loaded = loadConfig({ file: program.opts<{ config?: string }>().config }).config;
      // The utterances are this command's output: routine info logs would bury them.
      const level = loaded.logging.level === 'info' ? 'warn' : loaded.logging.level;
      const config = { ...loaded, logging: { ...loaded.logging, level } };
      const logger = createRootLogger({ level, file: config.logging.file });

      let capture: CaptureEndpoint;
      if (options.in) {
        try {
          capture = new WavCapture({ path: options.in, realtime: options.realtime ?? false });
        } catch (error) {
          if (error instanceof WavFormatError) throw new UsageError(error.message);
          throw error;
        }
      } else {
        const devices = await listDevices();
        const wanted = options.captureDevice ?? config.audio.captureDevice;
        const device =
          wanted === undefined
            ? devices.find((d) => d.maxInputChannels > 0)
            : resolveDevice(devices, wanted, 'capture');
        if (!device) throw new UsageError('no capture device found; use --in <file.wav>, or see `collar devices`');
        capture = new PortAudioCapture({ device, ...(rate ? { sampleRate: rate } : {}) });
      }

      let translator: ChildTranslator | undefined;
      if (options.translate) {
        const fallback = defaultPhrasebookFile();
        const userFile = options.phrasebook ?? (existsSync(fallback) ? fallback : undefined);
        let phrasebook: Awaited<ReturnType<typeof loadPhrasebook>>;
        try {
          phrasebook = await loadPhrasebook({ logger, ...(userFile ? { userFile } : {}) });
        } catch (error) {
          if (error instanceof PhrasebookFileError) throw new UsageError(error.message);
          throw error;
        }
        const store = openModelStore({ logger });
        translator = new ChildTranslator({
          phrasebook,
          loadMt: () => loadMarianEngine(store, { logger }),
          safety: new ChildSafetyFilter(logger),
          logger,
        });
      }

      let speech: SpokenEnglish | undefined;
      let speechEngine: ClauseSynthesizer | undefined;
      const speaks = Boolean(options.out || options.playbackDevice);
      if (options.voice && !speaks) {
        throw new UsageError('--voice chooses the voice for --out or --playback-device; give one of them too');
      }
      let pack: VoicePack | undefined;
      if (speaks) {
        if (!options.translate) throw new UsageError('speaking the English cannot be used with --no-translate');
        if (options.out) {
          const outDir = dirname(resolve(options.out));
          if (!existsSync(outDir)) throw new UsageError(`--out ${options.out}: the folder ${outDir} does not exist`);
        }
        const registry = new VoicePackRegistry({ configuredId: config.controller.voice });
        let entry: Awaited<ReturnType<VoicePackRegistry['get']>>;
        try {
          entry = options.voice ? await registry.get(options.voice) : (await registry.current()).entry;
        } catch (error) {
          if (error instanceof VoicePackUsageError) throw new UsageError(error.message);
          throw error;
        }
        try {
          speechEngine = await loadTtsEngine(entry.pack, { logger, ...(entry.dir ? { packDir: entry.dir } : {}) });
        } catch (error) {
          await translator?.dispose();
          throw error;
        }
        pack = entry.pack;
        if (options.out) speech = new SpokenEnglish(speechEngine, entry.pack, logger);
      }
      let live: LiveSpeakerOptions | undefined;
      if (playbackDevice && speechEngine && pack) {
        const calibration = calibrationInUse({ ...(options.profile ? { file: options.profile } : {}) });
        for (const line of calibration.lines) process.stderr.write(`${line}\n`);
        live = {
          playback: new PortAudioPlayback({ device: playbackDevice, ...(rate ? { sampleRate: rate } : {}) }),
          engine: speechEngine,
          pack,
          maskCalibration: calibration.maskLeak,
          maskMode: (options.mask as MaskerMode | undefined) ?? config.controller.maskMode,
          volumeDb: config.controller.volumeDb,
          bargeIn: config.controller.bargeIn,
          ...(calibration.echoDelayMs !== undefined ? { echoDelayMs: calibration.echoDelayMs } : {}),
          ...(calibration.echoImpulseResponse ? { echoImpulseResponse: calibration.echoImpulseResponse } : {}),
        };
      }
      const spoken: Array<Promise<void>> = [];
      const speechFailures: string[] = [];

      const abort = new AbortController();
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      try {
        const report = await runListen({
          capture,
          config,
          logger,
          denoise: { engine: options.denoise as 'auto' },
          asr: { engine: options.engine as 'auto' },
          ...(translator ? { translator } : {}),
          ...(live ? { speaker: live } : {}),
          ...(duration !== undefined ? { durationSeconds: duration } : {}),
          signal: abort.signal,
          onUtterance: (heard) => {
            const english = heard.translation?.english ?? '';
            if (!speech || speakableText(english).text === '') {
              process.stdout.write(`${options.json ? JSON.stringify(heard) : describe(heard)}\n`);
              return;
            }
            spoken.push(
              speech
                .say(english)
                .then((firstAudioMs) => {
                  const withSpeech = { ...heard, endpointToSpeechMs: (heard.endpointToEnglishMs ?? 0) + firstAudioMs };
                  process.stdout.write(
                    `${options.json ? JSON.stringify(withSpeech) : `${describe(heard)}\n   ♪ first English audio ${withSpeech.endpointToSpeechMs.toFixed(0)} ms after the end of speech`}\n`,
                  );
                })
                .catch((error: unknown) => {
                  // One failed synthesis must not lose the rest: report it with the utterance.
                  speechFailures.push(
                    `${heard.utteranceId}: ${error instanceof Error ? error.message : String(error)}`,
                  );
                  process.stdout.write(`${describe(heard)}\n   ♪ not spoken: ${speechFailures.at(-1)}\n`);
                }),
            );
          },
        });
        await Promise.all(spoken);
        if (speech && options.out) {
          const samples = await speech.audio();
          writeWav16(options.out, samples, 16_000);
          process.stderr.write(`wrote the English to ${options.out} (${(samples.length / 16_000).toFixed(2)} s)\n`);
        }
        if (speechFailures.length > 0) process.exitCode = EXIT.failure;
        if (report.speaker) {
          const sp = report.speaker;
          process.stderr.write(
            `speaker (${sp.playback}): English ${(sp.englishMs / 1000).toFixed(2)} s, masker (${sp.maskMode}) ${(sp.maskerMs / 1000).toFixed(2)} s, peak ${sp.peakDbfs.toFixed(1)} dBFS, barge-ins ${sp.bargeIns}, earcons ${sp.earcons.join(' ') || 'none'}\n`,
          );
        }
        process.stderr.write(
          `listened to ${report.audioSeconds.toFixed(2)} s of ${report.capture} in ${report.wallSeconds.toFixed(2)} s: ${report.utterances.length} utterance(s)\n`,
        );
      } finally {
        process.off('SIGINT', onSignal);
        await translator?.dispose();
        await speechEngine?.dispose();
      }
    });
}
