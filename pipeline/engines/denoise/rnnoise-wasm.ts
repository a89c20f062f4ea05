/**
 * Loads RNNoise compiled to wasm with its weights built in (@jitsi/rnnoise-wasm, the
 * synchronous build that inlines the wasm binary). That file is an ES module inside a
 * package without "type": "module", which Node imports only after printing a warning;
 * importing its source through a data: URL (always an ES module) avoids the noise.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface RnnoiseModule {
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _rnnoise_create(model?: number): number;
  _rnnoise_destroy(state: number): void;
  /** Denoises 480 samples at 48 kHz (int16 scale) from `input` into `output`; returns speech probability. */
  _rnnoise_process_frame(state: number, output: number, input: number): number;
}

/** RNNoise's fixed frame: 10 ms at 48 kHz. */
export const RNNOISE_FRAME_SAMPLES = 480;
export const RNNOISE_SAMPLE_RATE = 48_000;

let modulePromise: Promise<RnnoiseModule> | undefined;

export function loadRnnoiseModule(): Promise<RnnoiseModule> {
  modulePromise ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@jitsi/rnnoise-wasm/dist/rnnoise-sync.js');
    const source = readFileSync(path);
    const imported = (await import(`data:text/javascript;base64,${source.toString('base64')}`)) as {
      default: () => RnnoiseModule;
    };
    return imported.default();
  })();
  return modulePromise;
}
