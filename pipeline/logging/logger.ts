/**
 * One root pino logger per process; every stage gets a child with its name bound.
 * Nothing on the audio hot path logs per frame: stages count, and counters are read as
 * metrics. Logs go to standard error (or a file) so standard output stays free for the
 * CLI's results and the bench's JSON line.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { CollarConfig } from '../config/schema.js';

export type { Logger } from 'pino';

export interface RootLoggerOptions {
  level?: CollarConfig['logging']['level'];
  file?: string;
  /** Injected destination (tests); overrides `file`. */
  destination?: DestinationStream;
  /** Fields bound on every line (e.g. thread: 'worker'). */
  base?: Record<string, unknown>;
}

export function createRootLogger(options: RootLoggerOptions = {}): Logger {
  const destination =
    options.destination ??
    (options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(2));
  return pino(
    {
      name: 'collar',
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export function stageLogger(root: Logger, stageName: string): Logger {
  return root.child({ stage: stageName });
}
