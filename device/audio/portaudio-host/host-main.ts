/**
 * Entry point of the PortAudio host process (started by HostClient with fork). Opens one
 * naudiodon stream, relays audio chunks over IPC, and reports errors. It exits on
 * 'close', on IPC disconnect, or is killed by the parent if it stops answering.
 *
 * The host never lets a stream run more than MAX_AHEAD_MS ahead of the wall clock at its
 * nominal rate. A real device is paced by its hardware and never trips this; a device
 * without a clock (ALSA's null PCM behind the test devices) would otherwise flood the
 * controller, and with it the figures a tester reads.
 */
import naudiodon, { type IoStreamRead, type IoStreamWrite } from 'naudiodon';
import { type FromHost, MAX_CAPTURE_CHUNKS_IN_FLIGHT, type OpenRequest, ToHostSchema } from './protocol.js';

const MAX_AHEAD_MS = 100;

let stream: IoStreamRead | IoStreamWrite | undefined;
let input: IoStreamRead | undefined;
let output: IoStreamWrite | undefined;
let startedAtMs = 0;
let framesMoved = 0;
let frameBytes = 2;
let sampleRate = 16_000;
let written = 0;
let captureSent = 0;
let captureAcked = 0;
let resumeTimer: NodeJS.Timeout | undefined;

function send(message: FromHost): void {
  process.send?.(message);
}

/** How far the stream is ahead of real time, in ms (negative when behind). */
function aheadMs(): number {
  return (framesMoved / sampleRate) * 1000 - (performance.now() - startedAtMs);
}

/** Capture reading resumes once the controller has caught up and the clock allows. */
function resumeCaptureWhenAllowed(): void {
  if (!input?.isPaused() || resumeTimer) return;
  if (captureSent - captureAcked >= MAX_CAPTURE_CHUNKS_IN_FLIGHT / 2) return;
  const waitMs = aheadMs() - MAX_AHEAD_MS / 2;
  if (waitMs <= 0) {
    input.resume();
    return;
  }
  resumeTimer = setTimeout(() => {
    resumeTimer = undefined;
    resumeCaptureWhenAllowed();
  }, waitMs);
}

function openCapture(options: naudiodon.AudioOptions, highwaterMarkBytes: number): void {
  // A small read buffer keeps chunks near one PortAudio buffer (10 ms), not naudiodon's
  // default 16 KB, which alone would add 170 ms at 48 kHz.
  const io = naudiodon.AudioIO({ inOptions: { ...options, highwaterMark: highwaterMarkBytes } });
  io.on('data', (chunk: Buffer) => {
    send({ type: 'audio', chunk: Uint8Array.from(chunk) });
    captureSent += 1;
    framesMoved += chunk.length / frameBytes;
    if (captureSent - captureAcked >= MAX_CAPTURE_CHUNKS_IN_FLIGHT || aheadMs() > MAX_AHEAD_MS) {
      io.pause();
      resumeCaptureWhenAllowed();
    }
  });
  io.on('error', (error: Error) => send({ type: 'error', message: error.message }));
  io.start();
  stream = io;
  input = io;
}

function openPlayback(options: naudiodon.AudioOptions, highwaterMarkBytes: number): void {
  const io = naudiodon.AudioIO({ outOptions: { ...options, highwaterMark: highwaterMarkBytes } });
  io.on('error', (error: Error) => send({ type: 'error', message: error.message }));
  io.start();
  stream = io;
  output = io;
}

function open(request: OpenRequest): void {
  startedAtMs = performance.now();
  sampleRate = request.sampleRate;
  frameBytes = 2 * request.channels;
  const options: naudiodon.AudioOptions = {
    deviceId: request.deviceId,
    sampleRate: request.sampleRate,
    channelCount: request.channels,
    sampleFormat: naudiodon.SampleFormat16Bit,
    framesPerBuffer: request.framesPerBuffer,
    closeOnError: true,
  };
  if (request.direction === 'capture') openCapture(options, request.highwaterMarkBytes);
  else openPlayback(options, request.highwaterMarkBytes);
  send({ type: 'opened' });
}

function play(bytes: Uint8Array): void {
  if (!output) return;
  const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = chunk.length / frameBytes;
  output.write(chunk, () => {
    written += 1;
    framesMoved += frames;
    const acknowledged = written;
    // Hold the acknowledgement back while the device runs ahead of real time.
    const holdMs = aheadMs() - MAX_AHEAD_MS;
    if (holdMs > 0) setTimeout(() => send({ type: 'written', chunks: acknowledged }), holdMs);
    else send({ type: 'written', chunks: acknowledged });
  });
}

function close(): void {
  clearTimeout(resumeTimer);
  const io = stream;
  stream = undefined;
  const exit = (): void => {
    send({ type: 'closed' });
    process.exit(0);
  };
  if (!io) {
    exit();
    return;
  }
  if (output) {
    // end() passes every queued chunk to PortAudio first; naudiodon then quits the stream
    // itself and says 'finished'.
    output.once('finished', exit);
    output.end();
    output = undefined;
    return;
  }
  io.quit(exit);
}

process.on('message', (raw: unknown) => {
  const parsed = ToHostSchema.safeParse(raw);
  if (!parsed.success) {
    send({
      type: 'error',
      message: `host rejected a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    });
    return;
  }
  const message = parsed.data;
  try {
    if (message.type === 'open') open(message);
    else if (message.type === 'ack') {
      captureAcked = message.chunks;
      resumeCaptureWhenAllowed();
    } else if (message.type === 'close') close();
    else play(message.chunk);
  } catch (error) {
    send({ type: 'error', message: (error as Error).message });
  }
});

process.on('disconnect', () => process.exit(0));
