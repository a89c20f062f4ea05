/** Streams a file or stream into `dest`, reporting cumulative bytes. */
import { createReadStream, createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export function byteCounter(
  startBytes: number,
  onBytes: (receivedBytes: number) => void,
  limitBytes?: number,
): Transform {
  let received = startBytes;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (limitBytes !== undefined && received > limitBytes) {
        done(new Error(`more than the expected ${limitBytes} bytes`));
        return;
      }
      onBytes(received);
      done(null, chunk);
    },
  });
}

export async function streamToFile(
  source: Readable,
  dest: string,
  onBytes: (receivedBytes: number) => void,
  limitBytes?: number,
): Promise<void> {
  await pipeline(source, byteCounter(0, onBytes, limitBytes), createWriteStream(dest, { flags: 'wx' }));
}

export async function copyFileWithProgress(from: string, dest: string, onBytes: (n: number) => void): Promise<void> {
  await streamToFile(createReadStream(from), dest, onBytes);
}
