/**
 * ONNX Runtime sessions for the front end: one thread each on purpose. The pipeline runs
 * several models side by side on a small CPU, and a single-stream model this size gains
 * nothing from intra-op threads but loses to their wake-up cost (DESIGN.md principle 6).
 */
import * as ort from 'onnxruntime-node';

export { ort };

export interface ExpectedTensor {
  name: string;
  /** Fixed dimensions; `null` where the model leaves a dimension free. */
  shape: readonly (number | null)[];
  type: 'float32' | 'int64' | 'int32' | 'bool';
}

export class ModelMismatchError extends Error {
  override readonly name = 'ModelMismatchError';
}

/** `intraOpThreads` > 1 only for a model too slow on one thread (Kokoro), by the caller's choice. */
export async function createSingleThreadSession(
  model: string | Uint8Array,
  intraOpThreads = 1,
): Promise<ort.InferenceSession> {
  const options: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  return typeof model === 'string'
    ? ort.InferenceSession.create(model, options)
    : ort.InferenceSession.create(model, options);
}

function describeMetadata(meta: ort.InferenceSession.ValueMetadata): string {
  if (!meta.isTensor) return `${meta.name} (not a tensor)`;
  return `${meta.name} ${meta.type}[${meta.shape.map((d) => (typeof d === 'number' ? d : '?')).join(',')}]`;
}

/**
 * Refuse a model whose inputs or outputs are not the ones the engine was written for,
 * listing every mismatch at once.
 */
export function checkModelSignature(
  session: ort.InferenceSession,
  modelPath: string,
  expected: { inputs: readonly ExpectedTensor[]; outputs: readonly ExpectedTensor[] },
): void {
  const problems: string[] = [];
  const check = (
    kind: 'input' | 'output',
    want: ExpectedTensor,
    metadata: readonly ort.InferenceSession.ValueMetadata[],
  ) => {
    const got = metadata.find((meta) => meta.name === want.name);
    if (!got) {
      problems.push(`missing ${kind} "${want.name}" (the model has ${metadata.map(describeMetadata).join(', ')})`);
      return;
    }
    if (!got.isTensor) {
      problems.push(`${kind} "${want.name}" is not a tensor`);
      return;
    }
    if (got.type !== want.type) problems.push(`${kind} "${want.name}" is ${got.type}, expected ${want.type}`);
    const shapeMatches =
      got.shape.length === want.shape.length &&
      want.shape.every((dim, i) => dim === null || typeof got.shape[i] !== 'number' || got.shape[i] === dim);
    if (!shapeMatches)
      problems.push(
        `${kind} "${want.name}" has shape ${describeMetadata(got)}, expected [${want.shape.map((d) => d ?? '?').join(',')}]`,
      );
  };
  for (const want of expected.inputs) check('input', want, session.inputMetadata);
  for (const want of expected.outputs) check('output', want, session.outputMetadata);
  if (problems.length > 0) {
    throw new ModelMismatchError(`${modelPath} does not match its engine:\n  - ${problems.join('\n  - ')}`);
  }
}
