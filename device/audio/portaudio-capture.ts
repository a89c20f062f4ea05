/** Microphone through naudiodon/PortAudio, converted into the bus at 16 kHz mono. */
import { EventEmitter } from 'node:events';
import type { DeviceInfo, IoStreamRead } from 'naudiodon';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { CaptureConverter } from './capture-converter.js';
import { closeStream } from './close-stream.js';
import { type CaptureEndpoint, DeviceLostError, type EndpointEvents } from './endpoints.js';
import { loadNaudiodon } from './portaudio-devices.js';

export interface PortAudioCaptureOptions {
  device: DeviceInfo;
  /** No audio for this long means the device is gone (unplugged, driver error). */
  stallTimeoutMs?: number;
  /** Hardware rate; defaults to the device's default rate. */
  sampleRate?: number;
  channels?: number;
  framesPerBuffer?: number;
}

export class PortAudioCapture extends EventEmitter<EndpointEvents> implements CaptureEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly channels: number;
  private readonly framesPerBuffer: number;
  private io: IoStreamRead | undefined;
  private converter: CaptureConverter | undefined;
  /** Holds a chunk whose bytes are not 2-byte aligned (rare; copied instead of viewed). */
  private unalignedScratch: Int16Array | undefined;
  /** Kept past stop(), for the session report. */
  private deliveredBeforeStop = 0;
  private lastChunkAtMs = 0;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly options: PortAudioCaptureOptions) {
    super();
    this.hardwareRate = options.sampleRate ?? Math.round(options.device.defaultSampleRate);
    this.channels = Math.min(options.channels ?? 1, options.device.maxInputChannels);
    this.framesPerBuffer = options.framesPerBuffer ?? Math.round(this.hardwareRate / 100);
    this.description = `PortAudio capture "${options.device.name}" (id ${options.device.id}, ${this.hardwareRate} Hz, ${this.channels} ch)`;
  }

  async start(ring: RingBuffer): Promise<void> {
    const naudiodon = await loadNaudiodon();
    // PortAudio may deliver a few buffers at once; size scratch for eight.
    const maxChunkFrames = this.framesPerBuffer * 8;
    this.converter = await CaptureConverter.create({
      hardwareRate: this.hardwareRate,
      channels: this.channels,
      maxChunkFrames,
      ring,
    });
    const io = naudiodon.AudioIO({
      inOptions: {
        deviceId: this.options.device.id,
        sampleRate: this.hardwareRate,
        channelCount: this.channels,
        sampleFormat: naudiodon.SampleFormat16Bit,
        framesPerBuffer: this.framesPerBuffer,
        closeOnError: true,
      },
    });
    this.io = io;
    io.on('data', (chunk: Buffer) => this.onChunk(chunk, maxChunkFrames));
    io.on('error', (error: Error) => this.emit('error', new DeviceLostError(`${this.description}: ${error.message}`)));
    io.on('end', () => this.emit('end'));
    io.start();
    // A device that vanishes often just stops delivering; PortAudio may never say so.
    const stallTimeoutMs = this.options.stallTimeoutMs ?? 1_000;
    this.lastChunkAtMs = performance.now();
    this.watchdog = setInterval(
      () => {
        const silentMs = performance.now() - this.lastChunkAtMs;
        if (silentMs > stallTimeoutMs) {
          clearInterval(this.watchdog);
          this.emit('error', new DeviceLostError(`${this.description}: no audio for ${Math.round(silentMs)} ms`));
        }
      },
      Math.max(10, stallTimeoutMs / 4),
    );
  }

  private onChunk(chunk: Buffer, maxChunkFrames: number): void {
    const converter = this.converter;
    if (!converter) return;
    this.lastChunkAtMs = performance.now();
    let samples: Int16Array;
    if (chunk.byteOffset % 2 === 0) {
      samples = new Int16Array(chunk.buffer, chunk.byteOffset, chunk.length >> 1);
    } else {
      this.unalignedScratch ??= new Int16Array(maxChunkFrames * this.channels);
      samples = this.unalignedScratch.subarray(0, chunk.length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = chunk.readInt16LE(i * 2);
    }
    // Very large deliveries are split so scratch buffers stay fixed-size.
    const step = maxChunkFrames * this.channels;
    for (let offset = 0; offset < samples.length; offset += step) {
      converter.accept(samples.subarray(offset, Math.min(samples.length, offset + step)));
    }
  }

  deliveredSamples(): number {
    return this.converter?.deliveredSamples ?? this.deliveredBeforeStop;
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    const io = this.io;
    this.io = undefined;
    if (io) await closeStream(io);
    this.deliveredBeforeStop = this.converter?.deliveredSamples ?? this.deliveredBeforeStop;
    this.converter?.destroy();
    this.converter = undefined;
  }
}
