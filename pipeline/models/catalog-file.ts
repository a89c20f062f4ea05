/**
 * `COLLAR_MODEL_CATALOG=<file.json>`: a JSON array of ModelSpec entries that add to the
 * built-in catalog or replace entries with the same id (for testers trying another build
 * of a model, and for tests that serve files over loopback). Each entry is validated on
 * its own so that an error names the entry.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { CatalogError } from './errors.js';
import { ModelSpec } from './spec.js';

function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${issue.path.join('.') || '(entry)'}: ${issue.message}`).join('; ');
}

/** Reads and validates a catalog file; throws CatalogError naming the file and entry. */
export function readCatalogFile(file: string): ModelSpec[] {
  const path = resolve(file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CatalogError(`COLLAR_MODEL_CATALOG ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(data)) {
    throw new CatalogError(`COLLAR_MODEL_CATALOG ${path}: expected a JSON array of model entries`);
  }
  return data.map((entry: unknown, index) => {
    const parsed = ModelSpec.safeParse(entry);
    if (parsed.success) return parsed.data;
    const id = typeof entry === 'object' && entry !== null && 'id' in entry ? ` ("${String(entry.id)}")` : '';
    throw new CatalogError(`COLLAR_MODEL_CATALOG ${path}: entry ${index}${id}: ${formatIssues(parsed.error.issues)}`);
  });
}

/** `base` with `overrides` applied: same id replaces, new ids are appended. */
export function mergeCatalogs(base: readonly ModelSpec[], overrides: readonly ModelSpec[]): ModelSpec[] {
  const byId = new Map(base.map((spec) => [spec.id, spec]));
  for (const spec of overrides) byId.set(spec.id, spec);
  return [...byId.values()];
}
