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

export interface PlaybackEndpoint extends EventEmitter<EndpointEvents> {
  readonly description: string;
  readonly hardwareRate: number;
  start(ring: RingBuffer): Promise<void>;
  stop(): Promise<void>;
  /** Pipeline frames played from the ring (silence excluded). */
  framesPlayed(): number;
  /** Frames of silence played because the ring was empty when the device needed audio. */
  underrunFrames(): number;
}

/** A device that errors or disappears. The controller moves to `fault` on it. */
export class DeviceLostError extends Error {
  override readonly name = 'DeviceLostError';
}
