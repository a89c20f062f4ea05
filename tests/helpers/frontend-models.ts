/**
 * Real front-end models for tests: GTCRN fetched through the model store from the
 * ../shared/models mirror into a temp cache, Silero VAD from its npm package in place.
 */

import { SHARED_PATHS } from '../../bench/frontend/shared-data.js';
import { type ModelStore, openModelStore } from '../../pipeline/models/index.js';
import { tempDir } from './model-cache.js';

export async function storeWithGtcrn(): Promise<{ store: ModelStore; remove(): void }> {
  const cache = tempDir('frontend-cache');
  const store = openModelStore({ env: {}, cacheDir: cache.path, mirrors: [SHARED_PATHS.modelsDir] });
  await store.fetch('gtcrn');
  return { store, remove: cache.remove };
}

export function storeWithoutDownloads(): { store: ModelStore; remove(): void } {
  const cache = tempDir('frontend-empty');
  return { store: openModelStore({ env: {}, cacheDir: cache.path, mirrors: [] }), remove: cache.remove };
}
