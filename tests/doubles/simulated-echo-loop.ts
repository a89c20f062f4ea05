/**
 * Test double — a simulated acoustic loop standing in for the device's speaker and
 * microphones. It gives a `PlaybackEndpoint` (the chest speaker), a `CaptureEndpoint`
 * (the microphone inside the mask) and optionally a second `CaptureEndpoint` (an outer
 * reference microphone), all driven by one sample clock: at every tick one 20 ms frame
 * leaves the playback ring, is convolved with the echo path, gets the wearer's voice and
 * Gaussian microphone noise added, is rounded to int16 (so loud input clips) and enters
 * the capture ring. Sample n of the capture stream is exactly
 *   (echoPath ∗ played)[n − playbackStart] + wearer[n] + noise[n],
 * where `playbackStart` is the capture position when the playback endpoint was started.
 *
 * The clock is not wall time: a tick runs as soon as the event loop is free (and the
 * capture rings have room), so a simulated recording takes milliseconds and is the
 * same on every run. A session starts when a capture endpoint starts and ends when all
 * have stopped; the next session starts again at sample 0.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as nextTick } from 'node:timers/promises';
import type {
  CaptureEndpoint,
  EndpointEvents,
  OutputInterrupt,
  PlaybackEndpoint,
} from '../../device/audio/endpoints.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { floatToInt16, int16ToFloat } from '../../pipeline/dsp/sample-format.js';
import { gaussianSource, seededRandom } from '../../pipeline/dsp/seeded-random.js';

const FRAME_SAMPLES = 320;

export interface SimulatedOuterMicrophone {
  /** Wearer's voice at the inner microphone → outer microphone. */
  leakPath: Float32Array;
  /** Speaker signal → outer microphone. */
  speakerPath: Float32Array;
  /** Self-noise of the outer microphone, dBFS RMS (white). */
  noiseDbfs: number;
}

export interface SimulatedEchoLoopOptions {
  /** Speaker → inner microphone impulse response (16 kHz taps). */
  echoPath: Float32Array;
  /** Self-noise of the inner microphone, dBFS RMS (white); -Infinity for none. */
  micNoiseDbfs: number;
  seed?: number;
  /** The wearer's voice at the inner microphone, from `startSample` of each session on (see `wearer`). */
  wearer?: { samples: Float32Array; startSample?: number };
  outer?: SimulatedOuterMicrophone;
  /** A dead microphone: the inner capture delivers this constant (0 is digital silence). */
  stuckAt?: number;
}

/** Streaming FIR over consecutive frames (direct form; the paths are short enough). */
class StreamingFir {
  private readonly history: Float64Array;

  constructor(private readonly taps: Float32Array) {
    this.history = new Float64Array(Math.max(0, taps.length - 1) + FRAME_SAMPLES);
  }

  /** Filters one frame of `input` into `output` (added to what is there). */
  addFiltered(input: Float32Array, output: Float64Array): void {
    const { history, taps } = this;
    const past = taps.length - 1;
    history.copyWithin(0, FRAME_SAMPLES);
    history.set(input, past);
    for (let n = 0; n < FRAME_SAMPLES; n++) {
      let sum = 0;
      const newest = past + n;
      for (let k = 0; k < taps.length; k++) sum += (taps[k] as number) * (history[newest - k] as number);
      output[n] = (output[n] as number) + sum;
    }
  }

  reset(): void {
    this.history.fill(0);
  }
}

class SimulatedCapture extends EventEmitter<EndpointEvents> implements CaptureEndpoint {
  readonly hardwareRate = 16_000;
  ring: RingBuffer | undefined;
  delivered = 0;

  constructor(
    readonly description: string,
    private readonly loop: SimulatedEchoLoop,
  ) {
    super();
  }

  async start(ring: RingBuffer): Promise<void> {
    this.ring = ring;
    this.delivered = 0;
    this.loop.captureStarted();
  }

  async stop(): Promise<void> {
    this.ring = undefined;
    await this.loop.captureStopped();
  }

  deliveredSamples(): number {
    return this.delivered;
  }
}

class SimulatedPlayback extends EventEmitter<EndpointEvents> implements PlaybackEndpoint {
  readonly hardwareRate = 16_000;
  ring: RingBuffer | undefined;
  played = 0;
  underruns = 0;
  ended = false;

  constructor(readonly description: string) {
    super();
  }

  /** Synchronous on purpose: the loop position when this is called is where playback starts. */
  async start(ring: RingBuffer): Promise<void> {
    this.ring = ring;
    this.played = 0;
    this.underruns = 0;
    this.ended = false;
  }

  async stop(): Promise<void> {
    this.ring = undefined;
  }

  framesPlayed(): number {
    return this.played;
  }

  underrunFrames(): number {
    return this.underruns;
  }

  /** The loop has no device queue: what is in the ring is dropped, nothing is still audible. */
  interruptOutput(): OutputInterrupt {
    const dropped = this.ring?.clear() ?? 0;
    return { droppedMs: dropped / 16, stillAudibleMs: 0 };
  }
}

export class SimulatedEchoLoop {
  readonly playback: PlaybackEndpoint;
  readonly capture: CaptureEndpoint;
  readonly outerCapture: CaptureEndpoint | undefined;
  private readonly speaker: SimulatedPlayback;
  private readonly inner: SimulatedCapture;
  private readonly outer: SimulatedCapture | undefined;
  private readonly echo: StreamingFir;
  private readonly leak: StreamingFir | undefined;
  private readonly speakerToOuter: StreamingFir | undefined;
  private readonly gaussian: () => number;
  /**
   * The wearer's voice at the inner microphone, from `startSample` of each session on;
   * set it when a step asks the wearer to speak (as a tester's prompt would), clear it after.
   */
  wearer: { samples: Float32Array; startSample?: number } | undefined;
  private running = 0;
  private loop: Promise<void> | undefined;
  private positionSamples = 0;

  constructor(private readonly options: SimulatedEchoLoopOptions) {
    this.speaker = new SimulatedPlayback('simulated chest speaker (test double)');
    this.inner = new SimulatedCapture('simulated inner microphone (test double)', this);
    this.playback = this.speaker;
    this.capture = this.inner;
    if (options.outer) {
      this.outer = new SimulatedCapture('simulated outer microphone (test double)', this);
      this.leak = new StreamingFir(options.outer.leakPath);
      this.speakerToOuter = new StreamingFir(options.outer.speakerPath);
    }
    this.outerCapture = this.outer;
    this.echo = new StreamingFir(options.echoPath);
    this.gaussian = gaussianSource(seededRandom(options.seed ?? 1));
    this.wearer = options.wearer;
  }

  captureStarted(): void {
    this.running += 1;
    if (this.running === 1) {
      this.positionSamples = 0;
      this.echo.reset();
      this.leak?.reset();
      this.speakerToOuter?.reset();
      this.loop = this.run();
    }
  }

  async captureStopped(): Promise<void> {
    this.running = Math.max(0, this.running - 1);
    if (this.running === 0) await this.loop;
  }

  private async run(): Promise<void> {
    const frameInt = new Int16Array(FRAME_SAMPLES);
    const played = new Float32Array(FRAME_SAMPLES);
    const innerMix = new Float64Array(FRAME_SAMPLES);
    const outerMix = new Float64Array(FRAME_SAMPLES);
    const wearerFrame = new Float32Array(FRAME_SAMPLES);
    const out = new Float32Array(FRAME_SAMPLES);
    const innerNoise = noiseAmplitude(this.options.micNoiseDbfs);
    const outerNoise = noiseAmplitude(this.options.outer?.noiseDbfs ?? Number.NEGATIVE_INFINITY);
    while (this.running > 0) {
      await nextTick();
      const captures = [this.inner, this.outer].filter((c): c is SimulatedCapture => c?.ring !== undefined);
      if (captures.some((c) => !c.ring?.canPush(FRAME_SAMPLES))) continue;
      this.takePlayed(frameInt, played);
      this.wearerFrame(wearerFrame);
      innerMix.fill(0);
      this.echo.addFiltered(played, innerMix);
      for (let n = 0; n < FRAME_SAMPLES; n++) {
        innerMix[n] = (innerMix[n] as number) + (wearerFrame[n] as number) + innerNoise * this.gaussian();
      }
      if (this.options.stuckAt !== undefined) innerMix.fill(this.options.stuckAt);
      if (this.outer && this.leak && this.speakerToOuter) {
        outerMix.fill(0);
        this.leak.addFiltered(wearerFrame, outerMix);
        this.speakerToOuter.addFiltered(played, outerMix);
        for (let n = 0; n < FRAME_SAMPLES; n++) outerMix[n] = (outerMix[n] as number) + outerNoise * this.gaussian();
        this.deliver(this.outer, outerMix, out, frameInt);
      }
      this.deliver(this.inner, innerMix, out, frameInt);
      this.positionSamples += FRAME_SAMPLES;
    }
  }

  private takePlayed(frame: Int16Array, played: Float32Array): void {
    const speaker = this.speaker;
    const ring = speaker.ring;
    if (ring?.canPop(FRAME_SAMPLES)) {
      ring.pop(frame, FRAME_SAMPLES);
      int16ToFloat(frame, played);
      speaker.played += 1;
      return;
    }
    played.fill(0);
    if (!ring) return;
    speaker.underruns += 1;
    if (ring.isClosed() && !speaker.ended) {
      speaker.ended = true;
      speaker.emit('end');
    }
  }

  private wearerFrame(target: Float32Array): void {
    target.fill(0);
    const wearer = this.wearer;
    if (!wearer) return;
    const offset = this.positionSamples - (wearer.startSample ?? 0);
    for (let n = 0; n < FRAME_SAMPLES; n++) target[n] = wearer.samples[offset + n] ?? 0;
  }

  private deliver(capture: SimulatedCapture, mix: Float64Array, out: Float32Array, scratch: Int16Array): void {
    if (!capture.ring) return;
    for (let n = 0; n < FRAME_SAMPLES; n++) out[n] = mix[n] as number;
    floatToInt16(out, scratch);
    capture.delivered += capture.ring.push(scratch, FRAME_SAMPLES);
  }
}

function noiseAmplitude(dbfs: number): number {
  return Number.isFinite(dbfs) ? 10 ** (dbfs / 20) : 0;
}
