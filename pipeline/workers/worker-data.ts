/** What a host hands its worker at spawn time (validated by the worker before use). */
import { z } from 'zod';
import { LOG_LEVELS } from '../config/schema.js';

const RingDescriptorSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.enum(['int16', 'float32']),
  capacitySamples: z.number().int().positive(),
  header: z.instanceof(SharedArrayBuffer),
  storage: z.instanceof(SharedArrayBuffer),
});

export const StageWorkerDataSchema = z.strictObject({
  stageName: z.string().min(1),
  /** file: URL of the module that exports the stage factory. */
  stageModuleUrl: z.string().startsWith('file:'),
  exportName: z.string().min(1),
  options: z.unknown(),
  input: RingDescriptorSchema,
  output: RingDescriptorSchema.optional(),
  frameLengthSamples: z.number().int().positive(),
  sampleRate: z.number().int().positive(),
  startPtsSamples: z.number().int().nonnegative(),
  stats: z.instanceof(SharedArrayBuffer),
  logLevel: z.enum(LOG_LEVELS),
});

export type StageWorkerData = z.infer<typeof StageWorkerDataSchema>;
