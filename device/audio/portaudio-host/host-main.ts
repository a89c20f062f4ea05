/**
 * Entry point of the PortAudio host process (started by HostClient with fork). Opens one
 * naudiodon stream, relays audio chunks over IPC, and reports errors. It exits on
 * 'close', on IPC disconnect, or is killed by the parent if it stops answering.
 */
import naudiodon, { type IoStreamRead, type IoStreamWrite } from 'naudiodon';
import { type FromHost, type OpenRequest, ToHostSchema } from './protocol.js';

function send(message: FromHost): void {
  process.send?.(message);
}

let stream: IoStreamRead | IoStreamWrite | undefined;
let output: IoStreamWrite | undefined;
let written = 0;

function open(request: OpenRequest): void {
  const options = {
    deviceId: request.deviceId,
    sampleRate: request.sampleRate,
    channelCount: request.channels,
    sampleFormat: naudiodon.SampleFormat16Bit,
    framesPerBuffer: request.framesPerBuffer,
    closeOnError: true,
  } as const;
  if (request.direction === 'capture') {
    const io = naudiodon.AudioIO({ inOptions: options });
    io.on('data', (chunk: Buffer) =>
      send({ type: 'audio', chunk: new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length) }),
    );
    io.on('error', (error: Error) => send({ type: 'error', message: error.message }));
    io.start();
    stream = io;
  } else {
    const io = naudiodon.AudioIO({ outOptions: { ...options, highwaterMark: request.highwaterMarkBytes } });
    io.on('error', (error: Error) => send({ type: 'error', message: error.message }));
    io.start();
    stream = io;
    output = io;
  }
  send({ type: 'opened' });
}

function close(): void {
  const io = stream;
  stream = undefined;
  const exit = (): void => {
    send({ type: 'closed' });
    process.exit(0);
  };
  if (!io) return exit();
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
    else if (message.type === 'close') close();
    else if (output) {
      const chunk = Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength);
      output.write(chunk, () => {
        written += 1;
        send({ type: 'written', chunks: written });
      });
    }
  } catch (error) {
    send({ type: 'error', message: (error as Error).message });
  }
});

process.on('disconnect', () => process.exit(0));
