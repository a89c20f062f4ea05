/**
 * Messages between the controller and its PortAudio host process. PortAudio streams run
 * in a child process because a stream whose device has failed can stall inside
 * PortAudio, and naudiodon can then neither abort it nor let its process exit; a child
 * process can always be killed. Audio moves as 10 ms chunks (advanced serialization
 * carries the bytes without re-encoding); every message is validated on arrival.
 */
import { z } from 'zod';

const Chunk = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'expected a Uint8Array of audio bytes');

export const OpenRequestSchema = z.strictObject({
  type: z.literal('open'),
  direction: z.enum(['capture', 'playback']),
  deviceId: z.number().int().nonnegative(),
  sampleRate: z.number().int().positive(),
  channels: z.number().int().positive(),
  framesPerBuffer: z.number().int().positive(),
  /** Bytes the naudiodon stream buffers before it pushes back (sets the chunk size). */
  highwaterMarkBytes: z.number().int().positive(),
});

export const ToHostSchema = z.discriminatedUnion('type', [
  OpenRequestSchema,
  z.strictObject({ type: z.literal('audio'), chunk: Chunk }),
  /** Capture flow control: capture chunks the controller has taken so far. */
  z.strictObject({ type: z.literal('ack'), chunks: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('close') }),
]);

/**
 * Capture chunks the host may have in flight before it pauses reading. With a real
 * device the controller keeps up and this never binds; if it falls behind, audio waits
 * in the device (and PortAudio reports an overflow) instead of piling up in IPC.
 */
export const MAX_CAPTURE_CHUNKS_IN_FLIGHT = 8;

export const FromHostSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('opened') }),
  z.strictObject({ type: z.literal('audio'), chunk: Chunk }),
  /** Playback: chunks PortAudio has taken so far. */
  z.strictObject({ type: z.literal('written'), chunks: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('error'), message: z.string() }),
  z.strictObject({ type: z.literal('closed') }),
]);

export type OpenRequest = z.infer<typeof OpenRequestSchema>;
export type ToHost = z.infer<typeof ToHostSchema>;
export type FromHost = z.infer<typeof FromHostSchema>;
