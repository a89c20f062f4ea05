/**
 * `collar run`: the controller's main job. Until the translating stages land it runs in
 * monitor mode — microphone to speaker through the pipeline — and prints what it measured.
 * Sources and sinks are live devices (PortAudio) or WAV files (--in / --out).
 */
import type { Command } from 'commander';
import { loadConfig } from '../../../pipeline/config/load-config.js';
import { ControlLane } from '../../../pipeline/control/control-lane.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import type { CaptureEndpoint, PlaybackEndpoint } from '../../audio/endpoints.js';
import { PortAudioCapture } from '../../audio/portaudio-capture.js';
import { listDevices, resolveDevice } from '../../audio/portaudio-devices.js';
import { PortAudioPlayback } from '../../audio/portaudio-playback.js';
import { WavCapture } from '../../audio/wav-capture.js';
import { WavFormatError } from '../../audio/wav-file.js';
import { WavPlayback } from '../../audio/wav-playback.js';
import { Controller } from '../../controller/controller.js';
import { EvdevInput } from '../../inputs/evdev.js';
import type { InputSource } from '../../inputs/input-action.js';
import { KEYBOARD_HELP, KeyboardInput } from '../../inputs/keyboard.js';
import { EarconOverlay } from '../../outputs/earcon-overlay.js';
import { renderEarcon } from '../../outputs/earcons.js';
import { type LedDriver, SysfsLeds, TerminalLedStrip } from '../../outputs/leds.js';
import { calibrationInUse } from '../../session/calibration-in-use.js';
import { runDevice } from '../../session/device-runner.js';
import type { PassthroughReport } from '../../session/passthrough-session.js';
import { EXIT, UsageError } from '../exit-codes.js';

interface RunOptions {
  in?: string;
  out?: string;
  captureDevice?: string;
  playbackDevice?: string;
  rate?: string;
  outRate?: string;
  duration?: string;
  realtime?: boolean;
  json?: boolean;
  inputDevice?: string;
  leds?: string;
  keyboard?: boolean;
}

function positiveNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number > 0, got "${text}"`);
  return value;
}

function printReport(report: PassthroughReport, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  const lines = [
    `monitor mode (pass-through): ${report.capture} -> ${report.playback}`,
    `audio ${report.audioSeconds.toFixed(2)} s in ${report.wallSeconds.toFixed(2)} s wall (${(report.audioSeconds / report.wallSeconds).toFixed(1)}x real time)`,
    `frames processed ${report.framesProcessed}, played ${report.framesPlayed}, underruns ${report.underrunFrames}, dropped ${report.droppedFrames}, ring overruns mic ${report.micOverrunSamples} / speaker ${report.speakerOverrunSamples} samples`,
    Number.isNaN(report.latency.p50Ms)
      ? 'pass-through latency: not measured (run too short)'
      : `pass-through latency (software path, ${report.latency.samples} readings): p50 ${report.latency.p50Ms.toFixed(1)} ms, p95 ${report.latency.p95Ms.toFixed(1)} ms, max ${report.latency.maxMs.toFixed(1)} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run the controller (monitor mode: mic to speaker through the pipeline, with measured latency)')
    .option('--in <file.wav>', 'read the microphone from a WAV file instead of a device')
    .option('--out <file.wav>', 'write the speaker to a WAV file instead of a device')
    .option('--capture-device <name|id>', 'PortAudio capture device (see `collar devices`)')
    .option('--playback-device <name|id>', 'PortAudio playback device (see `collar devices`)')
    .option('--rate <hz>', 'hardware sample rate for live devices (default: the device default)')
    .option('--out-rate <hz>', 'sample rate of the --out file', '16000')
    .option('--duration <seconds>', 'stop after this long (live devices run until Ctrl-C otherwise)')
    .option('--realtime', 'feed --in at real-time speed instead of as fast as possible')
    .option('--json', 'print the report as one JSON line')
    .option('--input-device <path>', 'buttons from a Linux input device, e.g. /dev/input/event3')
    .option(
      '--leds <red,green,blue>',
      'sysfs LED names under /sys/class/leds (default: a simulated strip on a terminal)',
    )
    .option('--no-keyboard', 'do not read keys from the terminal')
    .action(async (options: RunOptions) => {
      const { config } = loadConfig({ file: program.opts<{ config?: string }>().config });
      const logger = createRootLogger({ level: config.logging.level, file: config.logging.file });
      // The controller says what it is calibrated with, or that it runs on defaults.
      for (const line of calibrationInUse().lines) process.stderr.write(`collar: ${line}\n`);
      const rate = positiveNumber(options.rate, '--rate');
      const outRate = positiveNumber(options.outRate, '--out-rate');
      const duration = positiveNumber(options.duration, '--duration');

      async function openCapture(): Promise<CaptureEndpoint> {
        if (options.in) {
          try {
            return new WavCapture({ path: options.in, realtime: options.realtime ?? false });
          } catch (error) {
            if (error instanceof WavFormatError) throw new UsageError(error.message);
            throw error;
          }
        }
        const devices = await listDevices();
        const wanted = options.captureDevice ?? config.audio.captureDevice;
        const device =
          wanted === undefined ? firstDevice(devices, 'capture') : resolveDevice(devices, wanted, 'capture');
        return new PortAudioCapture({ device, sampleRate: rate });
      }
      async function openPlayback(): Promise<PlaybackEndpoint> {
        if (options.out) return new WavPlayback({ path: options.out, sampleRate: outRate });
        const devices = await listDevices();
        const wanted = options.playbackDevice ?? config.audio.playbackDevice;
        const device =
          wanted === undefined ? firstDevice(devices, 'playback') : resolveDevice(devices, wanted, 'playback');
        return new PortAudioPlayback({ device, sampleRate: rate, overlay: earcons });
      }

      const earcons = new EarconOverlay();
      const lane = new ControlLane(logger);
      const controller = new Controller({
        lane,
        logger,
        voices: [config.controller.voice],
        voice: config.controller.voice,
        volumeDb: config.controller.volumeDb,
        mode: config.controller.mode,
        bargeIn: config.controller.bargeIn,
      });
      controller.on('earcon', (name) => earcons.enqueue(renderEarcon(name)));
      const leds = ledDriver(options.leds);
      controller.on('stateChange', ({ from, to }) => {
        leds?.show(to.status);
        const reason = to.status === 'fault' ? ` (${to.reason}; retry ${to.attempt})` : '';
        process.stderr.write(`collar: state ${from.status} -> ${to.status}${reason}\n`);
      });
      const inputs = inputSources(options, Boolean(options.in && options.out));
      const abort = new AbortController();
      for (const input of inputs) {
        input.on('action', (action) => controller.handleInput(action));
        input.on('quit', () => abort.abort());
        input.on('error', (error) =>
          logger.warn({ input: input.description, err: error.message }, 'input source failed'),
        );
        input.start();
      }
      if (inputs.some((input) => input instanceof KeyboardInput)) process.stderr.write(`keys: ${KEYBOARD_HELP}\n`);

      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await runDevice({
          openEndpoints: async () => ({ capture: await openCapture(), playback: await openPlayback() }),
          controller,
          lane,
          config,
          logger,
          durationSeconds: duration,
          signal: abort.signal,
        });
        const last = result.sessions.at(-1);
        if (last) printReport(last, options.json ?? false);
        if (result.faults.length) {
          process.stderr.write(
            `collar: recovered from ${result.faults.length} device fault(s): ${result.faults.join('; ')}\n`,
          );
        }
        if (!last) process.exitCode = EXIT.failure;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        for (const input of inputs) input.stop();
      }
    });
}

function ledDriver(names: string | undefined): LedDriver | undefined {
  if (names) {
    const [red, green, blue] = names.split(',');
    if (!red || !green || !blue) throw new UsageError(`--leds takes three names, red,green,blue; got "${names}"`);
    return new SysfsLeds({ red, green, blue });
  }
  return process.stderr.isTTY ? new TerminalLedStrip() : undefined;
}

function inputSources(options: RunOptions, offline: boolean): InputSource[] {
  const sources: InputSource[] = [];
  if (options.inputDevice) sources.push(new EvdevInput(options.inputDevice));
  if (options.keyboard !== false && !offline && process.stdin.isTTY) sources.push(new KeyboardInput());
  return sources;
}

function firstDevice(devices: Awaited<ReturnType<typeof listDevices>>, direction: 'capture' | 'playback') {
  const usable = devices.filter((d) => (direction === 'capture' ? d.maxInputChannels : d.maxOutputChannels) > 0);
  const first = usable[0];
  if (!first) {
    throw new UsageError(
      `no ${direction} device found; use --${direction === 'capture' ? 'in' : 'out'} <file.wav>, or see \`collar devices\``,
    );
  }
  return first;
}
