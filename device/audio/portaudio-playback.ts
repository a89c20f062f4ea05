/**
 * Speaker through PortAudio (naudiodon, in a host process: see portaudio-host/). The
 * host acknowledges each chunk once PortAudio has taken it, which paces this loop at the
 * device's rate with at most QUEUED_CHUNKS in flight. When no pipeline frame is ready,
 * silence is played and counted as an underrun. A device that takes no audio for
 * `stallTimeoutMs` is reported as a DeviceLostError.
 */
import { EventEmitter } from 'node:events';
import type { DeviceInfo } from 'naudiodon';
import { frameLengthSamples, PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import type { EarconOverlay } from '../outputs/earcon-overlay.js';
import { DeviceLostError, type EndpointEvents, type OutputInterrupt, type PlaybackEndpoint } from './endpoints.js';
import { PlaybackConverter } from './playback-converter.js';
import { HostClient } from './portaudio-host/host-client.js';

export interface PortAudioPlaybackOptions {
  device: DeviceInfo;
  sampleRate?: number;
  channels?: number;
  /** Hardware frames per chunk; defaults to 10 ms. */
  chunkFrames?: number;
  /** The device taking no audio for this long means it is gone. */
  stallTimeoutMs?: number;
  /** Earcons to mix over the output. */
  overlay?: EarconOverlay;
}

/**
 * Chunks sent but not yet taken by PortAudio: bounds the latency this edge adds, and the
 * English still heard after a barge-in (3 × 10 ms, inside the 40 ms budget).
 */
export const QUEUED_CHUNKS = 3;
/**
 * Silence sent after the last frame of a stream, so that PortAudio's last, partly filled
 * buffer (which it pads or drops) holds only silence and every real sample is played.
 */
const TAIL_CHUNKS = 4;

export class PortAudioPlayback extends EventEmitter<EndpointEvents> implements PlaybackEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly channels: number;
  private readonly chunkFrames: number;
  private host: HostClient | undefined;
  private converter: PlaybackConverter | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private writtenChunks = 0;
  private sentChunks = 0;
  private wakePump: (() => void) | undefined;
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
    const converter = await PlaybackConverter.create({
      hardwareRate: this.hardwareRate,
      channels: this.channels,
      frameLengthSamples: frameLengthSamples(20),
      maxChunkFrames: this.chunkFrames,
      ring,
      overlay: this.options.overlay,
    });
    this.converter = converter;
    const host = new HostClient(this.description);
    this.host = host;
    host.on('written', (chunks) => {
      this.writtenChunks = chunks;
      this.wakePump?.();
    });
    host.on('error', (error) => this.lost(error.message));
    await host.open({
      type: 'open',
      direction: 'playback',
      deviceId: this.options.device.id,
      sampleRate: this.hardwareRate,
      channels: this.channels,
      framesPerBuffer: this.chunkFrames,
      highwaterMarkBytes: this.chunkFrames * this.channels * 2 * QUEUED_CHUNKS,
    });
    this.running = true;
    this.loop = this.pump(host, converter);
  }

  private lost(reason: string): void {
    if (!this.running && this.loop === undefined) return;
    const message = reason.startsWith(this.description) ? reason : `${this.description}: ${reason}`;
    this.emit('error', new DeviceLostError(message));
  }

  private async pump(host: HostClient, converter: PlaybackConverter): Promise<void> {
    const chunkBytes = this.chunkFrames * this.channels * 2;
    const chunk = new Int16Array(chunkBytes >> 1);
    const bytes = new Uint8Array(chunk.buffer);
    this.sentChunks = 0;
    while (this.running) {
      if (converter.bufferedFrames() === 0 && converter.sourceFinished()) {
        // The producer closed the ring: play a short tail of silence, wait until the
        // device has taken everything, and only then say the stream has ended.
        chunk.fill(0);
        for (let i = 0; i < TAIL_CHUNKS; i++) host.sendAudio(bytes);
        this.sentChunks += TAIL_CHUNKS;
        while (this.running && this.writtenChunks < this.sentChunks) {
          if (!(await this.waitForDevice())) break;
        }
        this.emit('end');
        return;
      }
      if (this.sentChunks - this.writtenChunks >= QUEUED_CHUNKS) {
        if (!(await this.waitForDevice())) {
          if (this.running) this.lost(`the device took no audio for ${this.options.stallTimeoutMs ?? 1_000} ms`);
          return;
        }
        continue;
      }
      converter.fill(chunk, this.chunkFrames, true);
      // IPC copies the bytes into the message, so one chunk buffer is reused.
      host.sendAudio(bytes);
      this.sentChunks += 1;
    }
  }

  /** Waits until the host acknowledges a chunk; false when it stalls past the timeout. */
  private waitForDevice(): Promise<boolean> {
    const stallMs = this.options.stallTimeoutMs ?? 1_000;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.wakePump = undefined;
        resolve(!this.running);
      }, stallMs);
      this.wakePump = () => {
        clearTimeout(timer);
        this.wakePump = undefined;
        resolve(true);
      };
    });
  }

  interruptOutput(): OutputInterrupt {
    const droppedSamples = this.converter?.dropQueued() ?? 0;
    const inFlightChunks = Math.max(0, this.sentChunks - this.writtenChunks);
    return {
      droppedMs: (droppedSamples * 1000) / PIPELINE_SAMPLE_RATE,
      stillAudibleMs: (inFlightChunks * this.chunkFrames * 1000) / this.hardwareRate,
    };
  }

  framesPlayed(): number {
    return this.converter?.framesPlayed ?? this.countsBeforeStop.framesPlayed;
  }

  underrunFrames(): number {
    return this.converter?.underrunFrames ?? this.countsBeforeStop.underrunFrames;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakePump?.();
    await this.loop;
    const host = this.host;
    this.host = undefined;
    await host?.close();
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
