/**
 * `collar calibrate`: walks a tester through measuring the device — noise floor,
 * microphone gain, echo path and I/O latency, mask leak — and writes the calibration
 * profile. Live devices go through PortAudio, the same endpoints `collar run` uses. The
 * offline route splits a step in two: `--play-to F.wav` writes what the speaker would
 * play; the tester plays it through the device while recording, and `--recorded R.wav`
 * measures that recording. A measurement that is not plausible (no signal, clipping, a
 * delay out of range, …) is refused with its reasons and nothing is written.
 */
import { createInterface } from 'node:readline/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { DeviceInfo } from 'naudiodon';
import { type CalibrationIo, CalibrationIoError, EndpointCalibrationIo } from '../../../calibration/calibration-io.js';
import {
  CalibrationProfileError,
  calibrationProfilePath,
  type LoadedCalibration,
  loadCalibrationProfile,
  type SaveResult,
  saveCalibrationProfile,
} from '../../../calibration/profile-store.js';
import { playedFileSamples, type RunResult, runCalibrationSteps } from '../../../calibration/step-runner.js';
import { echoPathStep } from '../../../calibration/steps/echo-path-step.js';
import { defaultMaskLeakStep, maskLeakStep } from '../../../calibration/steps/mask-leak-step.js';
import { micGainStep } from '../../../calibration/steps/mic-gain-step.js';
import { noiseFloorStep } from '../../../calibration/steps/noise-floor-step.js';
import { type CalibrationStep, STEP_NAMES, type StepName, type StepOutcome } from '../../../calibration/steps/step.js';
import { frameLengthSamples, PIPELINE_SAMPLE_RATE } from '../../../pipeline/bus/audio-frame.js';
import { RingBuffer } from '../../../pipeline/bus/ring-buffer.js';
import { loadConfig } from '../../../pipeline/config/load-config.js';
import { floatToInt16 } from '../../../pipeline/dsp/sample-format.js';
import { PortAudioCapture } from '../../audio/portaudio-capture.js';
import { type Direction, listDevices, resolveDevice } from '../../audio/portaudio-devices.js';
import { PortAudioPlayback } from '../../audio/portaudio-playback.js';
import { WavCapture } from '../../audio/wav-capture.js';
import { WavFormatError } from '../../audio/wav-file.js';
import { WavPlayback } from '../../audio/wav-playback.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { plainTable } from '../plain-table.js';

interface CalibrateOptions {
  step: string;
  captureDevice?: string;
  playbackDevice?: string;
  outerDevice?: string;
  rate?: string;
  excitation: string;
  outerDistanceCm?: string;
  playTo?: string;
  recorded?: string;
  outerRecorded?: string;
  profile?: string;
  fresh?: boolean;
  yes?: boolean;
  json?: boolean;
}

/** What the profile records as the devices of the offline route (stable, so its steps merge). */
const OFFLINE_DEVICES = { capture: 'WAV recording (offline route)', playback: 'external playback (offline route)' };

function positiveNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag} must be a number > 0, got "${text}"`);
  return value;
}

function selectedSteps(options: CalibrateOptions): StepName[] {
  if (options.step === 'all') return [...STEP_NAMES];
  if (!(STEP_NAMES as readonly string[]).includes(options.step)) {
    throw new UsageError(`--step must be one of ${[...STEP_NAMES, 'all'].join(', ')}; got "${options.step}"`);
  }
  return [options.step as StepName];
}

function checkOptions(options: CalibrateOptions, names: StepName[]): void {
  const offline = options.playTo !== undefined || options.recorded !== undefined;
  if (options.playTo && options.recorded) {
    throw new UsageError('--play-to writes the file to play and --recorded measures its recording: use one per run');
  }
  if (offline && names.length !== 1) {
    throw new UsageError(
      'the offline route (--play-to / --recorded) takes one step at a time: add --step noise|gain|echo|leak',
    );
  }
  if (offline && (options.captureDevice || options.playbackDevice || options.outerDevice)) {
    throw new UsageError('--play-to / --recorded use files instead of devices: drop the --*-device options');
  }
  if (options.outerRecorded && !options.recorded) {
    throw new UsageError(
      '--outer-recorded goes with --recorded (the inner microphone’s recording of the same playback)',
    );
  }
  if (options.outerRecorded && names[0] !== 'leak') {
    throw new UsageError('--outer-recorded is only used by --step leak');
  }
  if (options.recorded && names[0] === 'leak' && !options.outerRecorded) {
    throw new UsageError(
      'the leak step measures with an outer microphone: give its recording with --outer-recorded (without one the leak is the documented default and nothing is recorded)',
    );
  }
  if (options.excitation !== 'exp-sweep' && options.excitation !== 'mls') {
    throw new UsageError(`--excitation must be exp-sweep or mls; got "${options.excitation}"`);
  }
}

function buildSteps(names: StepName[], options: CalibrateOptions, hasOuter: boolean): CalibrationStep[] {
  const outerDistanceCm = positiveNumber(options.outerDistanceCm, '--outer-distance-cm');
  const stepFor: Record<StepName, () => CalibrationStep> = {
    noise: () => noiseFloorStep(),
    gain: () => micGainStep(),
    echo: () => echoPathStep({ excitation: options.excitation as 'exp-sweep' | 'mls' }),
    leak: () => (hasOuter ? maskLeakStep({ outerDistanceCm }) : defaultMaskLeakStep()),
  };
  return names.map((name) => stepFor[name]());
}

function wavCapture(path: string): WavCapture {
  try {
    return new WavCapture({ path });
  } catch (error) {
    if (error instanceof WavFormatError) throw new UsageError(error.message);
    throw error;
  }
}

function pickDevice(devices: DeviceInfo[], wanted: string | number | undefined, direction: Direction): DeviceInfo {
  if (wanted !== undefined) return resolveDevice(devices, wanted, direction);
  const first = devices.find((d) => (direction === 'capture' ? d.maxInputChannels : d.maxOutputChannels) > 0);
  if (!first) {
    throw new UsageError(
      `no ${direction} device found; see \`collar devices\`, or use the offline route (--play-to / --recorded)`,
    );
  }
  return first;
}

interface OpenedIo {
  io: CalibrationIo;
  devices: { capture: string; playback: string };
  offline: boolean;
}

async function openIo(options: CalibrateOptions, configFile: string | undefined): Promise<OpenedIo> {
  if (options.recorded) {
    const recorded = options.recorded;
    const outerRecorded = options.outerRecorded;
    // Read and validate the files now, so a bad one fails before anything starts.
    const first = wavCapture(recorded);
    if (outerRecorded) wavCapture(outerRecorded);
    const io = new EndpointCalibrationIo({
      openCapture: () => wavCapture(recorded),
      openOuterCapture: outerRecorded ? () => wavCapture(outerRecorded) : undefined,
      captureDescription: first.description,
      playbackDescription: 'played outside collar (offline route): the recording starts with the played file',
    });
    return { io, devices: OFFLINE_DEVICES, offline: true };
  }
  const { config } = loadConfig({ file: configFile });
  const rate = positiveNumber(options.rate, '--rate');
  const devices = await listDevices();
  const capture = pickDevice(devices, options.captureDevice ?? config.audio.captureDevice, 'capture');
  const playback = pickDevice(devices, options.playbackDevice ?? config.audio.playbackDevice, 'playback');
  const outer = options.outerDevice ? resolveDevice(devices, options.outerDevice, 'capture') : undefined;
  const io = new EndpointCalibrationIo({
    openCapture: () => new PortAudioCapture({ device: capture, sampleRate: rate }),
    openPlayback: () => new PortAudioPlayback({ device: playback, sampleRate: rate }),
    openOuterCapture: outer ? () => new PortAudioCapture({ device: outer, sampleRate: rate }) : undefined,
    captureDescription: `PortAudio capture "${capture.name}"${outer ? ` (outer: "${outer.name}")` : ''}`,
    playbackDescription: `PortAudio playback "${playback.name}"`,
  });
  return { io, devices: { capture: capture.name, playback: playback.name }, offline: false };
}

/** Writes what a step plays, padded to its recording length, through the WAV playback endpoint. */
async function writePlayedFile(step: CalibrationStep, path: string): Promise<number> {
  const samples = playedFileSamples(step);
  const frame = frameLengthSamples(20);
  const length = Math.ceil(samples.length / frame) * frame;
  const ring = RingBuffer.create('calibration-play-to', 'int16', length + frame);
  const int16 = new Int16Array(length);
  floatToInt16(samples, int16, samples.length);
  ring.push(int16, length);
  ring.close();
  const sink = new WavPlayback({ path, sampleRate: PIPELINE_SAMPLE_RATE });
  await sink.start(ring);
  await sink.finished();
  return length / PIPELINE_SAMPLE_RATE;
}

class Presenter {
  private bar: cliProgress.SingleBar | undefined;
  private readonly err = process.stderr;

  constructor(
    private readonly waitForEnter: boolean,
    private readonly signal: AbortSignal,
  ) {}

  private write(text: string): void {
    this.err.write(`${text}\n`);
  }

  async beforeStep(step: CalibrationStep): Promise<void> {
    this.write(`\n== ${step.title} ==`);
    for (const line of step.instructions) this.write(line);
    if (!step.records) return;
    if (this.waitForEnter) {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      // Ctrl-C arrives as the process's SIGINT (which aborts `signal`), or, when readline
      // has the terminal in raw mode, as the interface's own SIGINT event.
      const cancelled = new Promise<never>((_, reject) => {
        prompt.once('SIGINT', () => reject(new CalibrationIoError('cancelled at the prompt')));
      });
      try {
        await Promise.race([
          prompt.question('Press Enter to start (Ctrl-C to stop) ', { signal: this.signal }),
          cancelled,
        ]);
      } catch (error) {
        if (error instanceof CalibrationIoError) throw error;
        throw new CalibrationIoError('cancelled at the prompt');
      } finally {
        prompt.close();
      }
    }
    const seconds = (step.recordSamples / PIPELINE_SAMPLE_RATE).toFixed(1);
    if (this.err.isTTY) {
      this.bar = new cliProgress.SingleBar(
        { stream: this.err, format: `recording [{bar}] {value}/{total} s`, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Number(seconds), 0);
    } else {
      this.write(`recording ${seconds} s…`);
    }
  }

  onProgress(recorded: number): void {
    this.bar?.update(Math.round((recorded / PIPELINE_SAMPLE_RATE) * 10) / 10);
  }

  afterStep(outcome: StepOutcome): void {
    this.bar?.stop();
    this.bar = undefined;
    for (const [label, value] of outcome.summary) this.write(`  ${label}: ${value}`);
    for (const warning of outcome.report.warnings) this.write(`  note: ${warning}`);
    for (const problem of outcome.report.problems) this.write(`  REFUSED: ${problem}`);
  }

  stop(): void {
    this.bar?.stop();
  }

  summaryTable(outcomes: StepOutcome[]): string {
    const rows = outcomes.flatMap((outcome) => outcome.summary.map(([label, value]) => [outcome.step, label, value]));
    return plainTable(['step', 'measured', 'value'], rows);
  }
}

function reportJson(result: RunResult, file: string, saved: SaveResult | undefined): void {
  const payload = {
    saved: saved !== undefined,
    file,
    problems: result.problems,
    skipped: result.skipped,
    steps: result.outcomes.map((outcome) => ({
      step: outcome.step,
      problems: outcome.report.problems,
      warnings: outcome.report.warnings,
      summary: Object.fromEntries(outcome.summary),
    })),
    written: saved?.written ?? [],
    kept: saved?.kept ?? [],
    dropped: saved?.dropped ?? [],
    profile: saved?.profile,
  };
  process.stdout.write(`${JSON.stringify(payload)}\n`);
}

export function registerCalibrateCommand(program: Command): void {
  program
    .command('calibrate')
    .description(
      'measure the device (noise floor, mic gain, echo path and I/O latency, mask leak) and save the calibration profile',
    )
    .option('--step <name>', `step to run: ${STEP_NAMES.join(', ')} or all`, 'all')
    .option('--capture-device <name|id>', 'PortAudio capture device: the microphone inside the mask')
    .option('--playback-device <name|id>', 'PortAudio playback device: the chest speaker')
    .option('--outer-device <name|id>', 'PortAudio capture device: an outer reference microphone (mask leak)')
    .option('--rate <hz>', 'hardware sample rate for live devices (default: the device default)')
    .option('--excitation <kind>', 'echo test signal: exp-sweep (Farina sine sweep) or mls', 'exp-sweep')
    .option(
      '--outer-distance-cm <cm>',
      "outer microphone's distance from the wearer's mouth (100: where the listener is)",
    )
    .option(
      '--play-to <file.wav>',
      'offline route: write what the step plays (16 kHz) and stop; play it while recording',
    )
    .option('--recorded <file.wav>', "offline route: the microphone's recording of the played file, started with it")
    .option('--outer-recorded <file.wav>', "offline route: the outer microphone's recording (--step leak)")
    .option('--profile <file>', 'profile file (default: $COLLAR_CALIBRATION, else calibration.json beside the config)')
    .option('--fresh', 'start a new profile instead of merging with the one in the file')
    .option('--yes', 'start each step at once instead of waiting for Enter')
    .option('--json', 'print the result as one JSON line on stdout')
    .action(async (options: CalibrateOptions) => {
      const names = selectedSteps(options);
      checkOptions(options, names);
      const file = options.profile ?? calibrationProfilePath();
      let existing: LoadedCalibration | undefined;
      if (!options.fresh && !options.playTo) {
        try {
          existing = loadCalibrationProfile({ file });
        } catch (error) {
          if (error instanceof CalibrationProfileError) throw new UsageError(error.message);
          throw error;
        }
      }

      if (options.playTo) {
        const [step] = buildSteps(names, options, names[0] === 'leak');
        if (!step) return;
        const seconds = await writePlayedFile(step, options.playTo);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ step: step.name, playTo: options.playTo, seconds })}\n`);
        } else {
          process.stderr.write(
            `wrote ${options.playTo} (${seconds.toFixed(2)} s, 16 kHz): play it through the device's speaker while recording the microphone, the recording starting with the playback (one duplex tool) and lasting at least ${(step.minimumRecordSamples / PIPELINE_SAMPLE_RATE).toFixed(2)} s; then run\n  collar calibrate --step ${step.name} --recorded <recording.wav>${step.usesOuterMicrophone ? ' --outer-recorded <outer.wav>' : ''}\n`,
          );
        }
        return;
      }

      const { io, devices, offline } = await openIo(options, program.opts<{ config?: string }>().config);
      const steps = buildSteps(names, options, io.hasOuterMicrophone);
      const waitForEnter = !options.yes && !offline && steps.some((step) => step.records);
      if (waitForEnter && !process.stdin.isTTY) {
        throw new UsageError(
          'collar calibrate waits for Enter before each step, and stdin is not a terminal: pass --yes to start each step at once',
        );
      }
      const abort = new AbortController();
      const presenter = new Presenter(waitForEnter, abort.signal);
      process.stderr.write(`calibrating: microphone ${io.captureDescription}; speaker ${io.playbackDescription}\n`);
      const onSignal = (): void => abort.abort();
      process.once('SIGINT', onSignal);
      let result: RunResult;
      try {
        result = await runCalibrationSteps({
          steps,
          io,
          noiseFloorDbfs: existing?.status === 'loaded' ? existing.profile.noiseFloor?.noiseFloorDbfs : undefined,
          signal: abort.signal,
          hooks: {
            beforeStep: (step) => presenter.beforeStep(step),
            onProgress: (_step, recorded) => presenter.onProgress(recorded),
            afterStep: (outcome) => presenter.afterStep(outcome),
          },
        });
      } catch (error) {
        presenter.stop();
        if (error instanceof CalibrationIoError) {
          const message = `${error.message}; nothing was written to ${file}`;
          if (offline) throw new UsageError(message);
          throw new Error(message);
        }
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
      }

      if (result.problems.length > 0) {
        const skipped = result.skipped.length ? `\n(not run: ${result.skipped.join(', ')})` : '';
        process.stderr.write(
          `\ncollar: refusing to save the calibration profile:\n  - ${result.problems.join('\n  - ')}${skipped}\nnothing was written to ${file}\n`,
        );
        if (options.json) reportJson(result, file, undefined);
        process.exitCode = EXIT.failure;
        return;
      }
      let saved: SaveResult;
      try {
        saved = saveCalibrationProfile({ devices, ...result.sections }, file, { fresh: options.fresh });
      } catch (error) {
        if (error instanceof CalibrationProfileError) throw new Error(error.message);
        throw error;
      }
      process.stderr.write(`\n${presenter.summaryTable(result.outcomes)}\n`);
      const kept = saved.kept.length ? `; kept ${saved.kept.join(', ')}` : '';
      const dropped = saved.dropped.length
        ? `; dropped ${saved.dropped.join(', ')} (measured on other devices: run those steps again)`
        : '';
      process.stderr.write(`saved ${file} (wrote ${saved.written.join(', ')}${kept}${dropped})\n`);
      if (options.json) reportJson(result, file, saved);
    });
}
