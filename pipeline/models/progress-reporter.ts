/**
 * Fetch progress for people: on a terminal, one cli-progress bar per file being
 * downloaded; anywhere else (CI logs, pipes) plain lines, one when a source is tried and
 * one when it succeeds or fails, never one per chunk.
 */
import cliProgress from 'cli-progress';
import type { FetchEvent } from './progress.js';

export interface FetchReporter {
  onProgress(event: FetchEvent): void;
  /** Stops any bars (call before printing anything else). */
  stop(): void;
}

const label = (event: FetchEvent): string => `${event.modelId}/${event.fileName}`;

export function plainLineReporter(out: NodeJS.WritableStream): FetchReporter {
  return {
    onProgress(event) {
      switch (event.type) {
        case 'present':
          out.write(`${label(event)}: already installed (${event.sizeBytes} bytes, ${event.path})\n`);
          break;
        case 'start':
          out.write(`fetching ${label(event)} from ${event.from} (${event.sizeBytes} bytes)\n`);
          break;
        case 'done':
          out.write(`${label(event)}: ${event.sizeBytes} bytes ok (size and sha256 verified) -> ${event.path}\n`);
          break;
        case 'failed':
          out.write(`${label(event)}: ${event.from} failed: ${event.reason}\n`);
          break;
        case 'bytes':
          break;
      }
    },
    stop() {},
  };
}

export function progressBarReporter(out: NodeJS.WritableStream): FetchReporter {
  const bars = new cliProgress.MultiBar(
    {
      stream: out,
      format: '{file} [{bar}] {percentage}% {value}/{total} bytes {from}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const active = new Map<string, cliProgress.SingleBar>();
  return {
    onProgress(event) {
      const key = label(event);
      switch (event.type) {
        case 'present':
          bars.log(`${key}: already installed\n`);
          break;
        case 'start':
          active.get(key)?.stop();
          active.set(key, bars.create(event.sizeBytes, 0, { file: key, from: `from ${event.from}` }));
          break;
        case 'bytes':
          active.get(key)?.update(event.receivedBytes);
          break;
        case 'done':
          active.get(key)?.update(event.sizeBytes, { from: 'ok (sha256 verified)' });
          active.get(key)?.stop();
          active.delete(key);
          break;
        case 'failed': {
          const bar = active.get(key);
          if (bar) bars.remove(bar);
          active.delete(key);
          bars.log(`${key}: ${event.from} failed: ${event.reason}\n`);
          break;
        }
      }
    },
    stop() {
      bars.stop();
    },
  };
}

/** Bars when `out` is a terminal, plain lines otherwise. */
export function createFetchReporter(out: NodeJS.WriteStream): FetchReporter {
  return out.isTTY ? progressBarReporter(out) : plainLineReporter(out);
}
