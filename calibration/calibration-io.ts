/**
 * Play a buffer and record at the same time, through the device interface the
 * controller uses (`CaptureEndpoint` / `PlaybackEndpoint`), so calibration measures the
 * same path the running device has: real PortAudio, ALSA virtual devices, WAV files or a
 * simulated loop. Endpoints are opened for each recording and stopped after it.
 *
 * Alignment: the recording is returned from the moment the capture stream started, with
 * `playbackStartSamples` saying how many samples it had delivered when playback started.
 * A delay measured from there holds everything between handing samples to the speaker
 * and reading them back: output buffering, converters, air and input buffering. When
 * the playback is done outside (the offline route: a WAV recording of a WAV file that
 * was played), the recording's first sample is the played file's first sample.
 */

import type { CaptureEndpoint, PlaybackEndpoint } from '../device/audio/endpoints.js';
import { frameLengthSamples, PIPELINE_SAMPLE_RATE } from '../pipeline/bus/audio-frame.js';
import { RingBuffer } from '../pipeline/bus/ring-buffer.js';
import { floatToInt16, int16ToFloat } from '../pipeline/dsp/sample-format.js';

export interface RecordRequest {
  /** What the speaker plays, from when playback starts (16 kHz, ±1). Nothing is played when absent. */
  play?: Float32Array;
  /** Samples to record from each microphone. */
  lengthSamples: number;
  /**
   * A source that ends by itself (a WAV recording) may stop after this many; the
   * recording is then that much shorter. Defaults to `lengthSamples`.
   */
  minimumSamples?: number;
  /** Record the outer microphone as well. */
  outer?: boolean;
  onProgress?: (recordedSamples: number, lengthSamples: number) => void;
  signal?: AbortSignal;
}

export interface Recording {
  /** The inner microphone, 16 kHz, ±1. */
  inner: Float32Array;
  /** The outer microphone, same length and timing, when asked for. */
  outer?: Float32Array;
  /** Recorded samples (inner microphone) before the first played sample left for the speaker. */
  playbackStartSamples: number;
  sampleRateHz: number;
}

export interface CalibrationIo {
  readonly captureDescription: string;
  readonly playbackDescription: string;
  readonly hasOuterMicrophone: boolean;
  /** True when the played signal goes out some other way (offline route): nothing is played here. */
  readonly externalPlayback: boolean;
  record(request: RecordRequest): Promise<Recording>;
}

/** A recording that could not be made as asked (too short, lost samples, a device error). */
export class CalibrationIoError extends Error {
  override readonly name = 'CalibrationIoError';
}

export interface EndpointCalibrationIoOptions {
  openCapture: () => Promise<CaptureEndpoint> | CaptureEndpoint;
  /** Absent: the stimulus is played outside collar and the recording starts with it. */
  openPlayback?: () => Promise<PlaybackEndpoint> | PlaybackEndpoint;
  openOuterCapture?: () => Promise<CaptureEndpoint> | CaptureEndpoint;
  captureDescription: string;
  playbackDescription: string;
  /** How long a live microphone may take to deliver its first audio. */
  firstAudioTimeoutMs?: number;
}

/** Capture rings hold 1 s: the drain loop empties them every few ms. */
const CAPTURE_RING_SECONDS = 1;
const DRAIN_CHUNK_SAMPLES = 320;

export class EndpointCalibrationIo implements CalibrationIo {
  readonly captureDescription: string;
  readonly playbackDescription: string;
  readonly hasOuterMicrophone: boolean;
  readonly externalPlayback: boolean;

  constructor(private readonly options: EndpointCalibrationIoOptions) {
    this.captureDescription = options.captureDescription;
    this.playbackDescription = options.playbackDescription;
    this.hasOuterMicrophone = options.openOuterCapture !== undefined;
    this.externalPlayback = options.openPlayback === undefined;
  }

  async record(request: RecordRequest): Promise<Recording> {
    if (request.outer && !this.options.openOuterCapture) {
      throw new CalibrationIoError('this step needs an outer microphone, and none was given');
    }
    const capture = await this.options.openCapture();
    const outerCapture = request.outer ? await this.options.openOuterCapture?.() : undefined;
    const playback = request.play && this.options.openPlayback ? await this.options.openPlayback() : undefined;
    const minimum = Math.min(request.minimumSamples ?? request.lengthSamples, request.lengthSamples);
    const inner = new CaptureDrain(capture, 'microphone', request.lengthSamples, minimum);
    const outer = outerCapture
      ? new CaptureDrain(outerCapture, 'outer microphone', request.lengthSamples, minimum)
      : undefined;
    const drains = outer ? [inner, outer] : [inner];
    let failure: Error | undefined;
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      fail = (error: Error): void => {
        failure ??= error;
        reject(error);
      };
    });
    failed.catch(() => {});
    const onAbort = (): void => fail(new CalibrationIoError('recording cancelled'));
    const endpoints = [capture, outerCapture, playback].filter((endpoint) => endpoint !== undefined);
    for (const endpoint of endpoints) endpoint.on('error', fail);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) onAbort();
    let playbackStartSamples = 0;
    try {
      await Promise.race([Promise.all(drains.map((drain) => drain.start())), failed]);
      if (playback && request.play) {
        // Start the speaker only once the microphone delivers, so the echo cannot arrive
        // before the recording does; then note where in the recording playback began.
        await Promise.race([inner.firstAudio(this.options.firstAudioTimeoutMs ?? 2_000), failed]);
        const ring = playbackRing(request.play);
        await Promise.race([playback.start(ring), failed]);
        playbackStartSamples = capture.deliveredSamples();
      }
      const progress = setInterval(() => request.onProgress?.(inner.recorded, request.lengthSamples), 100);
      try {
        await Promise.race([Promise.all(drains.map((drain) => drain.finished)), failed]);
      } finally {
        clearInterval(progress);
      }
      request.onProgress?.(request.lengthSamples, request.lengthSamples);
    } finally {
      await Promise.allSettled([inner.stop(), outer?.stop(), playback?.stop()]);
      for (const endpoint of endpoints) endpoint.off('error', fail);
      request.signal?.removeEventListener('abort', onAbort);
    }
    if (failure) throw failure;
    return {
      inner: inner.samples(),
      outer: outer?.samples(),
      playbackStartSamples,
      sampleRateHz: PIPELINE_SAMPLE_RATE,
    };
  }
}

/** The whole stimulus, padded to whole pipeline frames, in a closed ring: nothing can run dry mid-signal. */
function playbackRing(play: Float32Array): RingBuffer {
  const frame = frameLengthSamples(20);
  const length = Math.ceil(play.length / frame) * frame;
  const ring = RingBuffer.create('calibration-playback', 'int16', length + frame);
  const samples = new Int16Array(length);
  floatToInt16(play, samples, play.length);
  ring.push(samples, length);
  ring.close();
  return ring;
}

/** Empties one capture endpoint's ring into a recording of a fixed length. */
class CaptureDrain {
  readonly ring: RingBuffer<'int16'>;
  recorded = 0;
  finished: Promise<void> = Promise.resolve();
  private readonly recording: Float32Array;
  private readonly scratch = new Int16Array(DRAIN_CHUNK_SAMPLES);
  private readonly scratchFloat = new Float32Array(DRAIN_CHUNK_SAMPLES);
  private running = false;
  private ended = false;
  private markFirstAudio: () => void = () => {};
  private readonly firstAudioTaken = new Promise<void>((resolve) => {
    this.markFirstAudio = resolve;
  });

  constructor(
    private readonly endpoint: CaptureEndpoint,
    private readonly label: string,
    private readonly lengthSamples: number,
    private readonly minimumSamples: number,
  ) {
    this.ring = RingBuffer.create(`calibration-${label}`, 'int16', PIPELINE_SAMPLE_RATE * CAPTURE_RING_SECONDS);
    this.recording = new Float32Array(lengthSamples);
  }

  private readonly onEnd = (): void => {
    this.ended = true;
  };

  async start(): Promise<void> {
    this.endpoint.once('end', this.onEnd);
    this.running = true;
    await this.endpoint.start(this.ring);
    this.finished = this.drain();
  }

  /**
   * Resolves when the first samples have been taken from the ring (or the source ended).
   * Event-driven rather than polled, so the speaker starts as soon as the microphone runs.
   */
  async firstAudio(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new CalibrationIoError(`${this.endpoint.description}: no audio within ${timeoutMs} ms of starting`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.firstAudioTaken, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async drain(): Promise<void> {
    const { ring, scratch, scratchFloat } = this;
    while (this.running && this.recorded < this.lengthSamples) {
      const wanted = Math.min(DRAIN_CHUNK_SAMPLES, this.lengthSamples - this.recorded);
      const available = ring.availableRead();
      if (available === 0) {
        if (this.ended || ring.isClosed()) {
          this.markFirstAudio();
          break;
        }
        await ring.waitForDataAsync(1, 50);
        continue;
      }
      const count = ring.pop(scratch, Math.min(wanted, available));
      int16ToFloat(scratch, scratchFloat, count);
      this.recording.set(scratchFloat.subarray(0, count), this.recorded);
      this.recorded += count;
      this.markFirstAudio();
    }
    const overrun = ring.stats().overrunSamples;
    if (overrun > 0) {
      throw new CalibrationIoError(
        `${this.label}: ${overrun} samples were lost (the recording fell behind the device); close other programs and run the step again`,
      );
    }
    if (this.running && this.recorded < this.minimumSamples) {
      const haveSeconds = (this.recorded / PIPELINE_SAMPLE_RATE).toFixed(2);
      const needSeconds = (this.minimumSamples / PIPELINE_SAMPLE_RATE).toFixed(2);
      throw new CalibrationIoError(
        `${this.endpoint.description}: the recording ended after ${haveSeconds} s; this step needs ${needSeconds} s`,
      );
    }
  }

  samples(): Float32Array {
    return this.recording.subarray(0, this.recorded);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.endpoint.stop();
    this.endpoint.off('end', this.onEnd);
    await this.finished.catch(() => {});
  }
}
