/**
 * A WAV file as the microphone. Offline (default) it feeds the ring as fast as the
 * pipeline takes audio, waiting for room rather than dropping; with `realtime` it paces
 * itself by the clock like a device would. The last partial frame is padded with silence.
 */
import { EventEmitter } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { frameLengthSamples, PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import { type Clock, RealtimeClock } from '../../pipeline/bus/clock.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { StreamResampler } from '../../pipeline/dsp/resampler.js';
import type { CaptureEndpoint, EndpointEvents } from './endpoints.js';
import { floatToInt16 } from './sample-convert.js';
import { readWav, type WavAudio } from './wav-file.js';

export interface WavCaptureOptions {
  path: string;
  realtime?: boolean;
  clock?: Clock;
}

/** Input chunk: 10 ms of the file's own rate. */
const CHUNK_MS = 10;

export class WavCapture extends EventEmitter<EndpointEvents> implements CaptureEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly audio: WavAudio;
  private delivered = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  /** Reads and validates the file now, so a bad file fails before anything starts. */
  constructor(private readonly options: WavCaptureOptions) {
    super();
    this.audio = readWav(options.path);
    this.hardwareRate = this.audio.sampleRate;
    this.description = `WAV file ${options.path} (${this.audio.sampleRate} Hz, ${this.audio.channels} ch, ${this.audio.bitDepth}-bit, ${(this.audio.frames / this.audio.sampleRate).toFixed(2)} s)`;
  }

  durationSeconds(): number {
    return this.audio.frames / this.audio.sampleRate;
  }

  async start(ring: RingBuffer): Promise<void> {
    const chunkFrames = Math.max(1, Math.round((this.hardwareRate * CHUNK_MS) / 1000));
    const resampler = await StreamResampler.create(this.hardwareRate, PIPELINE_SAMPLE_RATE, chunkFrames, 'best');
    this.running = true;
    this.loop = this.feed(ring, resampler, chunkFrames).then(
      () => {
        this.emit('end');
      },
      (error: Error) => {
        this.emit('error', error);
      },
    );
  }

  private async feed(ring: RingBuffer, resampler: StreamResampler, chunkFrames: number): Promise<void> {
    const { samples, channels, frames } = this.audio;
    const clock = this.options.clock ?? new RealtimeClock();
    const startSamples = clock.nowSamples();
    const mono = new Float32Array(chunkFrames);
    const out = new Int16Array(Math.ceil((chunkFrames * PIPELINE_SAMPLE_RATE) / this.hardwareRate) + 64);
    for (let frame = 0; frame < frames && this.running; frame += chunkFrames) {
      const count = Math.min(chunkFrames, frames - frame);
      for (let i = 0; i < count; i++) {
        let sum = 0;
        for (let c = 0; c < channels; c++) sum += samples[(frame + i) * channels + c] as number;
        mono[i] = sum / channels;
      }
      const resampled = resampler.process(mono.subarray(0, count));
      floatToInt16(resampled, out, resampled.length);
      await this.pushAll(ring, out, resampled.length);
      if (this.options.realtime) await clock.sleepUntil(startSamples + this.delivered);
    }
    // Pad to a whole pipeline frame so the last samples are processed, then end the stream.
    const frameLength = frameLengthSamples(20);
    const padding = (frameLength - (this.delivered % frameLength)) % frameLength;
    if (padding > 0 && this.running) await this.pushAll(ring, new Int16Array(padding), padding);
    resampler.destroy();
    ring.close();
  }

  private async pushAll(ring: RingBuffer, samples: Int16Array, length: number): Promise<void> {
    let offset = 0;
    while (offset < length && this.running) {
      const room = Math.min(length - offset, ring.availableWrite());
      if (room === 0) {
        await ring.waitForSpaceAsync(Math.min(length - offset, ring.capacitySamples), 100);
        continue;
      }
      ring.push(samples.subarray(offset, offset + room), room);
      offset += room;
      this.delivered += room;
    }
    await yieldToEventLoop();
  }

  deliveredSamples(): number {
    return this.delivered;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
