/**
 * Microphone through PortAudio (naudiodon, in a host process: see portaudio-host/),
 * converted into the bus at 16 kHz mono. A device that errors, or stops delivering
 * audio for `stallTimeoutMs`, is reported as a DeviceLostError.
 */
import { EventEmitter } from 'node:events';
import type { DeviceInfo } from 'naudiodon';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { CaptureConverter } from './capture-converter.js';
import { type CaptureEndpoint, DeviceLostError, type EndpointEvents } from './endpoints.js';
import { HostClient } from './portaudio-host/host-client.js';

export interface PortAudioCaptureOptions {
  device: DeviceInfo;
  /** Hardware rate; defaults to the device's default rate. */
  sampleRate?: number;
  channels?: number;
  framesPerBuffer?: number;
  /** No audio for this long means the device is gone (unplugged, driver error). */
  stallTimeoutMs?: number;
}

export class PortAudioCapture extends EventEmitter<EndpointEvents> implements CaptureEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly channels: number;
  private readonly framesPerBuffer: number;
  private host: HostClient | undefined;
  private converter: CaptureConverter | undefined;
  /**
   * Holds a chunk whose bytes are not 2-byte aligned (IPC delivers them at odd offsets),
   * copied instead of viewed. Grows to the largest chunk once, then is reused.
   */
  private unalignedScratch: Int16Array | undefined;
  /** Kept past stop(), for the session report. */
  private deliveredBeforeStop = 0;
  private lastChunkAtMs = 0;
  private chunksTaken = 0;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly options: PortAudioCaptureOptions) {
    super();
    this.hardwareRate = options.sampleRate ?? Math.round(options.device.defaultSampleRate);
    this.channels = Math.min(options.channels ?? 1, options.device.maxInputChannels);
    this.framesPerBuffer = options.framesPerBuffer ?? Math.round(this.hardwareRate / 100);
    this.description = `PortAudio capture "${options.device.name}" (id ${options.device.id}, ${this.hardwareRate} Hz, ${this.channels} ch)`;
  }

  async start(ring: RingBuffer): Promise<void> {
    // PortAudio may deliver a few buffers at once; size scratch for eight.
    const maxChunkFrames = this.framesPerBuffer * 8;
    this.converter = await CaptureConverter.create({
      hardwareRate: this.hardwareRate,
      channels: this.channels,
      maxChunkFrames,
      ring,
    });
    const host = new HostClient(this.description);
    this.host = host;
    host.on('audio', (chunk) => this.onChunk(chunk, maxChunkFrames));
    host.on('error', (error) => this.lost(error.message));
    await host.open({
      type: 'open',
      direction: 'capture',
      deviceId: this.options.device.id,
      sampleRate: this.hardwareRate,
      channels: this.channels,
      framesPerBuffer: this.framesPerBuffer,
      highwaterMarkBytes: this.framesPerBuffer * this.channels * 2 * 2,
    });
    // A device that vanishes often just stops delivering; PortAudio may never say so.
    const stallTimeoutMs = this.options.stallTimeoutMs ?? 1_000;
    this.lastChunkAtMs = performance.now();
    this.watchdog = setInterval(
      () => {
        const silentMs = performance.now() - this.lastChunkAtMs;
        if (silentMs > stallTimeoutMs) this.lost(`no audio for ${Math.round(silentMs)} ms`);
      },
      Math.max(10, stallTimeoutMs / 4),
    );
  }

  private lost(reason: string): void {
    clearInterval(this.watchdog);
    const message = reason.startsWith(this.description) ? reason : `${this.description}: ${reason}`;
    this.emit('error', new DeviceLostError(message));
  }

  private onChunk(chunk: Uint8Array, maxChunkFrames: number): void {
    const converter = this.converter;
    if (!converter) return;
    this.lastChunkAtMs = performance.now();
    const sampleCount = chunk.byteLength >> 1;
    let samples: Int16Array;
    if (chunk.byteOffset % 2 === 0) {
      samples = new Int16Array(chunk.buffer, chunk.byteOffset, sampleCount);
    } else {
      if (!this.unalignedScratch || this.unalignedScratch.length < sampleCount) {
        this.unalignedScratch = new Int16Array(sampleCount);
      }
      samples = this.unalignedScratch.subarray(0, sampleCount);
      const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (let i = 0; i < sampleCount; i++) samples[i] = view.getInt16(i * 2, true);
    }
    // Very large deliveries are split so scratch buffers stay fixed-size.
    const step = maxChunkFrames * this.channels;
    for (let offset = 0; offset < samples.length; offset += step) {
      converter.accept(samples.subarray(offset, Math.min(samples.length, offset + step)));
    }
    this.chunksTaken += 1;
    this.host?.acknowledge(this.chunksTaken);
  }

  deliveredSamples(): number {
    return this.converter?.deliveredSamples ?? this.deliveredBeforeStop;
  }

  async stop(): Promise<void> {
    clearInterval(this.watchdog);
    const host = this.host;
    this.host = undefined;
    await host?.close();
    this.deliveredBeforeStop = this.converter?.deliveredSamples ?? this.deliveredBeforeStop;
    this.converter?.destroy();
    this.converter = undefined;
  }
}
