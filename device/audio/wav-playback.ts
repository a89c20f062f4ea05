/**
 * A WAV file as the speaker: drains the ring (waiting for audio instead of playing
 * silence), converts to the file's rate, and writes the file atomically when the stream
 * ends. Its length is bounded (`maxSeconds`); audio past the bound is counted, not kept.
 */
import { EventEmitter } from 'node:events';
import { frameLengthSamples, PIPELINE_SAMPLE_RATE } from '../../pipeline/bus/audio-frame.js';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import type { EndpointEvents, OutputInterrupt, PlaybackEndpoint } from './endpoints.js';
import { PlaybackConverter } from './playback-converter.js';
import { writeWav16 } from './wav-file.js';

export interface WavPlaybackOptions {
  path: string;
  sampleRate?: number;
  /** Longest recording kept in memory before writing (default one hour). */
  maxSeconds?: number;
}

const CHUNK_FRAMES_PER_WRITE = 20;

export class WavPlayback extends EventEmitter<EndpointEvents> implements PlaybackEndpoint {
  readonly description: string;
  readonly hardwareRate: number;
  private readonly maxSamples: number;
  private converter: PlaybackConverter | undefined;
  private chunks: Int16Array[] = [];
  private keptSamples = 0;
  /** Samples that arrived after maxSeconds was reached. */
  discardedSamples = 0;
  private running = false;
  private framesPlayedBeforeEnd = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: WavPlaybackOptions) {
    super();
    this.hardwareRate = options.sampleRate ?? PIPELINE_SAMPLE_RATE;
    this.maxSamples = Math.round((options.maxSeconds ?? 3600) * this.hardwareRate);
    this.description = `WAV file ${options.path} (${this.hardwareRate} Hz, mono, 16-bit)`;
  }

  async start(ring: RingBuffer): Promise<void> {
    const frameLength = frameLengthSamples(20);
    const chunkFrames = Math.ceil((frameLength * CHUNK_FRAMES_PER_WRITE * this.hardwareRate) / PIPELINE_SAMPLE_RATE);
    this.converter = await PlaybackConverter.create({
      hardwareRate: this.hardwareRate,
      channels: 1,
      frameLengthSamples: frameLength,
      maxChunkFrames: chunkFrames,
      ring,
    });
    this.running = true;
    this.loop = this.drain(ring, this.converter, chunkFrames).then(
      () => {
        this.emit('end');
      },
      (error: Error) => {
        this.emit('error', error);
      },
    );
  }

  private async drain(ring: RingBuffer, converter: PlaybackConverter, chunkFrames: number): Promise<void> {
    const scratch = new Int16Array(chunkFrames);
    const frameLength = frameLengthSamples(20);
    while (this.running) {
      const filled = converter.fill(scratch, chunkFrames, false);
      if (filled > 0) this.keep(scratch, filled);
      if (filled < chunkFrames) {
        if (ring.isClosed() && !ring.canPop(frameLength)) break;
        await ring.waitForDataAsync(frameLength, 100);
      }
    }
    // What is still buffered inside the converter belongs to the stream too.
    const tail = converter.bufferedFrames();
    if (tail > 0) {
      const rest = new Int16Array(tail);
      converter.fill(rest, tail, false);
      this.keep(rest, tail);
    }
    const all = new Int16Array(this.keptSamples);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks = [];
    writeWav16(this.options.path, all, this.hardwareRate, 1);
    this.framesPlayedBeforeEnd = converter.framesPlayed;
    converter.destroy();
    this.converter = undefined;
  }

  private keep(samples: Int16Array, length: number): void {
    const room = Math.max(0, this.maxSamples - this.keptSamples);
    const kept = Math.min(room, length);
    if (kept > 0) {
      this.chunks.push(samples.slice(0, kept));
      this.keptSamples += kept;
    }
    this.discardedSamples += length - kept;
  }

  /** A file has no device queue: everything not yet written is dropped, nothing is still audible. */
  interruptOutput(): OutputInterrupt {
    const droppedSamples = this.converter?.dropQueued() ?? 0;
    return { droppedMs: (droppedSamples * 1000) / PIPELINE_SAMPLE_RATE, stillAudibleMs: 0 };
  }

  framesPlayed(): number {
    return this.converter?.framesPlayed ?? this.framesPlayedBeforeEnd;
  }

  underrunFrames(): number {
    return 0;
  }

  /** Resolves when the file is written (after the ring's producer closed it). */
  async finished(): Promise<void> {
    await this.loop;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
