/**
 * Speaker through naudiodon/PortAudio. The stream's back-pressure paces the loop at the
 * device's rate: each time the device can take a chunk, the next pipeline frames are
 * converted; if none are ready, silence is played and counted as an underrun.
 */
import { EventEmitter } from 'node:events';
import type { DeviceInfo, IoStreamWrite } from 'naudiodon';
import { frameLengthSamples } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import type { EarconOverlay } from '../outputs/earcon-overlay.js';
import { closeStream } from './close-stream.js';
import { DeviceLostError, type EndpointEvents, type PlaybackEndpoint } from './endpoints.js';
import { PlaybackConverter } from './playback-converter.js';
import { loadNaudiodon } from './portaudio-devices.js';

export interface PortAudioPlaybackOptions {
  device: DeviceInfo;
  sampleRate?: number;
  channels?: number;
  /** Hardware frames per write; defaults to 10 ms. */
  chunkFrames?: number;
  /** The device taking no audio for this long means it is gone. */
  stallTimeoutMs?: number;
  /** Earcons to mix over the output. */
  overlay?: EarconOverlay;
}

/** Chunks queued in the stream before write() pushes back: bounds the added latency. */
const QUEUED_CHUNKS = 2;

export class PortAudioPlayback extends EventEmitter<EndpointEvents> implements PlaybackEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly channels: number;
  private readonly chunkFrames: number;
  private io: IoStreamWrite | undefined;
  private converter: PlaybackConverter | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  /** Kept past stop(), for the session report. */
  private countsBeforeStop = { framesPlayed: 0, underrunFrames: 0 };

  constructor(private readonly options: PortAudioPlaybackOptions) {
    super();
    this.hardwareRate = options.sampleRate ?? Math.round(options.device.defaultSampleRate);
    this.channels = Math.min(options.channels ?? 1, options.device.maxOutputChannels);
    this.chunkFrames = options.chunkFrames ?? Math.round(this.hardwareRate / 100);
    this.description = `PortAudio playback "${options.device.name}" (id ${options.device.id}, ${this.hardwareRate} Hz, ${this.channels} ch)`;
  }

  async start(ring: RingBuffer): Promise<void> {
    const naudiodon = await loadNaudiodon();
    this.converter = await PlaybackConverter.create({
      hardwareRate: this.hardwareRate,
      channels: this.channels,
      frameLengthSamples: frameLengthSamples(20),
      maxChunkFrames: this.chunkFrames,
      ring,
      overlay: this.options.overlay,
    });
    const io = naudiodon.AudioIO({
      outOptions: {
        deviceId: this.options.device.id,
        sampleRate: this.hardwareRate,
        channelCount: this.channels,
        sampleFormat: naudiodon.SampleFormat16Bit,
        closeOnError: true,
        highwaterMark: this.chunkFrames * this.channels * 2 * QUEUED_CHUNKS,
      },
    });
    this.io = io;
    io.on('error', (error: Error) => this.emit('error', new DeviceLostError(`${this.description}: ${error.message}`)));
    io.start();
    this.running = true;
    this.loop = this.pump(io, this.converter);
  }

  private async pump(io: IoStreamWrite, converter: PlaybackConverter): Promise<void> {
    const chunkBytes = this.chunkFrames * this.channels * 2;
    while (this.running) {
      if (converter.bufferedFrames() === 0 && converter.sourceFinished()) {
        // The producer closed the ring and everything was played: the stream has ended.
        this.emit('end');
        return;
      }
      // The stream keeps each written chunk until PortAudio has copied it, so chunks cannot
      // be reused here; allocUnsafe takes them from Node's preallocated slab (no zeroing).
      const buffer = Buffer.allocUnsafe(chunkBytes);
      const view = new Int16Array(buffer.buffer, buffer.byteOffset, buffer.length >> 1);
      converter.fill(view, this.chunkFrames, true);
      const accepted = io.write(buffer);
      if (!accepted && this.running && !(await this.drained(io))) {
        const stallMs = this.options.stallTimeoutMs ?? 1_000;
        this.emit('error', new DeviceLostError(`${this.description}: the device took no audio for ${stallMs} ms`));
        return;
      }
    }
  }

  /** Waits for the stream to take more audio; false when it stalls past the timeout. */
  private drained(io: IoStreamWrite): Promise<boolean> {
    const stallMs = this.options.stallTimeoutMs ?? 1_000;
    return new Promise<boolean>((resolve) => {
      const finish = (drained: boolean): void => {
        clearTimeout(timer);
        io.off('drain', onDrain);
        io.off('close', onDrain);
        resolve(drained);
      };
      const onDrain = (): void => finish(true);
      const timer = setTimeout(() => finish(!this.running), stallMs);
      io.on('drain', onDrain);
      io.on('close', onDrain);
    });
  }

  framesPlayed(): number {
    return this.converter?.framesPlayed ?? this.countsBeforeStop.framesPlayed;
  }

  underrunFrames(): number {
    return this.converter?.underrunFrames ?? this.countsBeforeStop.underrunFrames;
  }

  async stop(): Promise<void> {
    this.running = false;
    const io = this.io;
    this.io = undefined;
    if (io) await closeStream(io);
    await this.loop;
    if (this.converter) {
      this.countsBeforeStop = {
        framesPlayed: this.converter.framesPlayed,
        underrunFrames: this.converter.underrunFrames,
      };
      this.converter.destroy();
    }
    this.converter = undefined;
  }
}
