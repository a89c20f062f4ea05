/** What a fetch reports as it goes; reporters (progress-reporter.ts) turn it into output. */

interface FileEvent {
  modelId: string;
  fileName: string;
  sizeBytes: number;
}

export type FetchEvent =
  /** Already in the cache and valid: nothing to do. */
  | (FileEvent & { type: 'present'; path: string })
  /** Trying a source (a URL source may continue a partial download). */
  | (FileEvent & { type: 'start'; from: string })
  | (FileEvent & { type: 'bytes'; receivedBytes: number })
  | (FileEvent & { type: 'done'; from: string; path: string })
  /** This source failed; the next one (if any) is tried. */
  | (FileEvent & { type: 'failed'; from: string; reason: string });

export type FetchProgressListener = (event: FetchEvent) => void;
