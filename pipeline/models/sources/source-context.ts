/** What a source needs to put one model file on disk, and how it says it could not. */
import type { Logger } from 'pino';
import type { FileLocation } from '../locations.js';
import type { ModelFile } from '../spec.js';

export interface SourceContext {
  modelId: string;
  file: ModelFile;
  location: FileLocation;
  /** A fresh path in the model's cache folder (same filesystem, so the final rename is atomic). */
  tempPath: string;
  env: NodeJS.ProcessEnv;
  httpTimeoutMs: number;
  /** How long a registry client (npm, pip) may run. */
  registryTimeoutMs: number;
  logger: Logger;
  /** Cumulative bytes of the file written so far (including bytes resumed from a partial). */
  onBytes(receivedBytes: number): void;
}

/** One way to get one file: `acquire` writes the whole file and returns where (not yet verified). */
export interface SourceCandidate {
  /** The source as the user should see it: a URL, a mirror file, a package. */
  label: string;
  acquire(ctx: SourceContext): Promise<string>;
}

/** A source that could not supply the file. `resumable`: keep the HTTP partial for the next try. */
export class SourceFailure extends Error {
  override readonly name = 'SourceFailure';
  constructor(
    reason: string,
    readonly resumable = false,
  ) {
    super(reason);
  }
}
