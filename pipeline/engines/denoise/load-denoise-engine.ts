/**
 * Picks and loads the noise suppressor. `auto` (the default) prefers GTCRN from the model
 * store and falls back to the embedded RNNoise, saying why, when GTCRN is not installed
 * or its file fails verification (the wearer keeps a working device; the log says how to
 * repair it). Naming an engine explicitly never falls back, so a tester gets what they
 * asked for.
 */
import type { Logger } from 'pino';
import { ModelIntegrityError, ModelNotInstalledError, type ModelStore } from '../../models/index.js';
import { BypassEngine } from './bypass-engine.js';
import type { DenoiseEngine, DenoiseEngineName } from './denoise-engine.js';
import { GtcrnEngine } from './gtcrn-engine.js';
import { RnnoiseEngine } from './rnnoise-engine.js';

export type DenoiseEngineChoice = DenoiseEngineName | 'auto';

export const GTCRN_MODEL = { modelId: 'gtcrn', fileName: 'gtcrn_simple.onnx' } as const;

export async function loadDenoiseEngine(
  choice: DenoiseEngineChoice,
  store: ModelStore,
  logger?: Logger,
): Promise<DenoiseEngine> {
  switch (choice) {
    case 'bypass':
      return new BypassEngine();
    case 'rnnoise':
      return RnnoiseEngine.load();
    case 'gtcrn':
      return GtcrnEngine.load(await store.resolveFile(GTCRN_MODEL.modelId, GTCRN_MODEL.fileName));
    case 'auto':
      try {
        return await GtcrnEngine.load(await store.resolveFile(GTCRN_MODEL.modelId, GTCRN_MODEL.fileName));
      } catch (error) {
        if (!(error instanceof ModelNotInstalledError || error instanceof ModelIntegrityError)) throw error;
        logger?.warn(`${error.message}; using the embedded RNNoise meanwhile`);
        return RnnoiseEngine.load();
      }
  }
}
