/**
 * Capture and playback behind one interface, whether the other side is PortAudio (a
 * real or ALSA-virtual device) or a WAV file. Capture writes 16 kHz mono int16 into a
 * bus ring; playback drains one. Errors (a device that fails or disappears) arrive as
 * 'error' events, never as exceptions thrown out of an audio callback.
 */
import type { EventEmitter } from 'node:events';
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';

export interface EndpointEvents {
  error: [Error];
  /** The source has no more audio (end of file), or the sink has written its last frame. */
  end: [];
}

export interface CaptureEndpoint extends EventEmitter<EndpointEvents> {
  readonly description: string;
  readonly hardwareRate: number;
  start(ring: RingBuffer): Promise<void>;
  stop(): Promise<void>;
  /** 16 kHz samples delivered to the ring so far. */
  deliveredSamples(): number;
}

/** What an output interrupt (barge-in) dropped and what the device will still play. */
export interface OutputInterrupt {
  /** Queued audio dropped before reaching the device. */
  droppedMs: number;
  /** Audio already handed to the device, which it will still play (bounded by the edge's queue). */
  stillAudibleMs: number;
}

export interface PlaybackEndpoint extends EventEmitter<EndpointEvents> {
  readonly description: string;
  readonly hardwareRate: number;
  start(ring: RingBuffer): Promise<void>;
  stop(): Promise<void>;
  /** Pipeline frames played from the ring (silence excluded). */
  framesPlayed(): number;
  /** Frames of silence played because the ring was empty when the device needed audio. */
  underrunFrames(): number;
  /** Barge-in: drop everything queued on the way to the device, now (consumer side of the ring). */
  interruptOutput(): OutputInterrupt;
}

/** A device that errors or disappears. The controller moves to `fault` on it. */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}
