/**
 * The controller's side of a PortAudio host process: starts it, opens the stream,
 * relays chunks, and kills the process when asked to stop and it does not finish in
 * time (a stalled device). Nothing from the host is trusted before it is validated.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { siblingModuleUrl } from '../../../pipeline/workers/module-url.js';
import { FromHostSchema, type OpenRequest } from './protocol.js';

const HOST_ENTRY = siblingModuleUrl(import.meta.url, './host-main');
const OPEN_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 1_000;
/** Last bytes of the host's stderr, quoted in error messages (ALSA says why there). */
const STDERR_TAIL_BYTES = 2_000;

export interface HostClientEvents {
  audio: [Uint8Array];
  written: [number];
  error: [Error];
}

export class HostClient extends EventEmitter<HostClientEvents> {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  private closing = false;

  constructor(private readonly label: string) {
    super();
  }

  async open(request: OpenRequest): Promise<void> {
    const entry = fileURLToPath(HOST_ENTRY);
    const child = fork(entry, [], {
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      serialization: 'advanced',
      // naudiodon prints its own notices on stdout: keep them out of the CLI's output.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    const opened = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(this.failure(`did not open within ${OPEN_TIMEOUT_MS} ms`)),
        OPEN_TIMEOUT_MS,
      );
      child.on('message', (raw: unknown) => {
        const parsed = FromHostSchema.safeParse(raw);
        if (!parsed.success) {
          this.emit('error', this.failure('sent a malformed message'));
          return;
        }
        const message = parsed.data;
        if (message.type === 'opened') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'audio') this.emit('audio', message.chunk);
        else if (message.type === 'written') this.emit('written', message.chunks);
        else if (message.type === 'error') {
          clearTimeout(timer);
          const error = this.failure(message.message);
          reject(error);
          this.emit('error', error);
        }
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const error = this.failure(`host process ended (${signal ?? `code ${code}`})`);
        reject(error);
        if (!this.closing) this.emit('error', error);
      });
    });
    child.send(request);
    await opened;
  }

  private failure(reason: string): Error {
    const alsa = this.stderrTail
      .split('\n')
      .filter((line) => line.trim() && !/Unknown PCM|cannot find card|conf\.c|confmisc\.c/.test(line))
      .slice(-2)
      .join(' | ');
    return new Error(`${this.label}: ${reason}${alsa ? ` [${alsa}]` : ''}`);
  }

  /** Capture: tells the host how many chunks have been taken (flow control). */
  acknowledge(chunks: number): void {
    this.child?.send({ type: 'ack', chunks });
  }

  /** Sends one playback chunk; the bytes are copied into the message. */
  sendAudio(chunk: Uint8Array): void {
    this.child?.send({ type: 'audio', chunk });
  }

  /** Asks the host to close its stream; kills it if it does not exit in time. */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.closing = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'close' });
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }
}
