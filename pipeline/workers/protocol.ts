/**
 * The typed protocol between a worker host and its worker (DESIGN.md principle 7).
 * Audio never travels here, only control. Each direction is a zod discriminated union;
 * a message that does not parse is rejected and logged, never acted on.
 *
 * host → worker: ping, config, event (a control event), shutdown
 * worker → host: ready, pong, event (a stage event), error, flushed
 */
import { z } from 'zod';
import { formatZodIssues } from '../config/format-issues.js';
import { ControlEventSchema } from '../control/control-event.js';

const Ping = z.strictObject({ type: z.literal('ping'), id: z.number().int().nonnegative() });
const Pong = z.strictObject({ type: z.literal('pong'), id: z.number().int().nonnegative() });
const Config = z.strictObject({ type: z.literal('config'), config: z.unknown() });
const ControlEventMessage = z.strictObject({ type: z.literal('event'), event: ControlEventSchema });
const Shutdown = z.strictObject({ type: z.literal('shutdown'), reason: z.string().optional() });

const Ready = z.strictObject({ type: z.literal('ready'), stage: z.string().min(1) });
const StageEventMessage = z.strictObject({
  type: z.literal('event'),
  name: z.string().min(1),
  data: z.unknown().optional(),
});
const ErrorMessage = z.strictObject({
  type: z.literal('error'),
  /** protocol: a message was rejected; stage: the stage threw; fatal errors end the worker. */
  kind: z.enum(['protocol', 'stage', 'startup']),
  message: z.string(),
  stack: z.string().optional(),
  fatal: z.boolean(),
});
const Flushed = z.strictObject({
  type: z.literal('flushed'),
  reason: z.enum(['interrupt', 'flush', 'end-of-stream']),
  /** Input samples discarded by an interrupt (0 for a flush). */
  clearedSamples: z.number().int().nonnegative(),
});

export const HostToWorkerSchema = z.discriminatedUnion('type', [Ping, Config, ControlEventMessage, Shutdown]);
export const WorkerToHostSchema = z.discriminatedUnion('type', [Ready, Pong, StageEventMessage, ErrorMessage, Flushed]);

export type HostToWorker = z.infer<typeof HostToWorkerSchema>;
export type WorkerToHost = z.infer<typeof WorkerToHostSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; problem: string };

function describeType(input: unknown): string {
  if (input !== null && typeof input === 'object' && 'type' in input) {
    return `message of type ${JSON.stringify((input as { type: unknown }).type)}`;
  }
  return 'message without a "type"';
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, message: parsed.data };
  return { ok: false, problem: `rejected ${describeType(input)}: ${formatZodIssues(parsed.error.issues, input)}` };
}

export const parseHostToWorker = (input: unknown): ParseResult<HostToWorker> => parseWith(HostToWorkerSchema, input);
export const parseWorkerToHost = (input: unknown): ParseResult<WorkerToHost> => parseWith(WorkerToHostSchema, input);
