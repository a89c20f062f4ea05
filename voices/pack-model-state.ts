/**
 * Whether a pack's voice can speak now, as far as its model goes: espeak-ng voices need no
 * model; a pack's own model files must be in its folder (size checked, cheap); a catalog
 * model must be in the model store. Used by `collar voices list`.
 */
import { join } from 'node:path';
import { checkFile } from '../pipeline/models/file-check.js';
import type { ModelListing } from '../pipeline/models/store.js';
import { isNeuralPack } from './pack-manifest.js';
import type { VoicePackEntry } from './pack-registry.js';

export type PackModelState = 'not-needed' | 'installed' | 'partial' | 'missing' | 'not-in-catalog' | 'unknown';

export interface PackModelStatus {
  state: PackModelState;
  /** What to do about it, or where it is. */
  detail?: string;
}

/** The store's view of its catalog: enough to say whether a catalog model is installed. */
export interface ModelCatalogView {
  list(): Promise<ModelListing[]>;
}

const RANK: Record<PackModelState, number> = {
  'not-needed': 0,
  installed: 1,
  unknown: 2,
  partial: 3,
  'not-in-catalog': 4,
  missing: 5,
};

function worst(a: PackModelStatus, b: PackModelStatus): PackModelStatus {
  return RANK[b.state] > RANK[a.state] ? b : a;
}

/** The model status of each entry, by pack id; `store` undefined = the catalog could not be read. */
export async function packModelStatuses(
  entries: readonly VoicePackEntry[],
  store: ModelCatalogView | undefined,
): Promise<Map<string, PackModelStatus>> {
  let listings: ModelListing[] | undefined;
  if (store && entries.some((entry) => entry.pack.model?.catalogId !== undefined)) {
    listings = await store.list().catch(() => undefined);
  }
  const statuses = new Map<string, PackModelStatus>();
  for (const entry of entries) {
    const { pack } = entry;
    if (!isNeuralPack(pack) || pack.model === undefined) {
      statuses.set(pack.id, { state: 'not-needed' });
      continue;
    }
    let status: PackModelStatus = { state: 'installed' };
    const catalogId = pack.model.catalogId;
    if (catalogId !== undefined) {
      const listing = listings?.find((model) => model.id === catalogId);
      const fromCatalog: PackModelStatus = !listings
        ? { state: 'unknown', detail: 'the model catalog could not be read' }
        : !listing
          ? { state: 'not-in-catalog', detail: `no "${catalogId}" in the model catalog (collar models list)` }
          : listing.status === 'installed'
            ? { state: 'installed' }
            : { state: listing.status, detail: `collar models fetch ${catalogId}` };
      status = worst(status, fromCatalog);
    }
    const files = pack.model.files ?? [];
    if (files.length > 0) {
      let present = 0;
      for (const file of files) {
        const check = entry.dir ? await checkFile(join(entry.dir, file.name), file, { sizeOnly: true }) : undefined;
        if (check?.status === 'ok') present++;
      }
      const fromFiles: PackModelStatus =
        present === files.length
          ? { state: 'installed' }
          : {
              state: present > 0 ? 'partial' : 'missing',
              detail: `${files.length - present} of ${files.length} model file(s) missing or damaged in ${entry.dir ?? 'the pack'}; reinstall the pack`,
            };
      status = worst(status, fromFiles);
    }
    statuses.set(pack.id, status);
  }
  return statuses;
}
