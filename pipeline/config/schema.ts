/**
 * The controller's whole configuration in one zod schema. Every section has defaults,
 * so an empty file (or none) is a valid configuration. Unknown keys are errors: a typo
 * must not silently fall back to a default.
 */
import { z } from 'zod';
import { BARGE_IN_POLICIES, DEVICE_MODES, VOLUME_DB_MAX, VOLUME_DB_MIN } from '../control/control-event.js';
import { MASKER_MODES } from '../stages/speaker/masker-level.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const AudioConfigSchema = z.strictObject({
  /** Frame size inside the pipeline. */
  frameMs: z.literal([10, 20], { error: 'expected 10 or 20 (milliseconds)' }).default(20),
  /** Capacity of each ring between stages; also the most audio a stage may fall behind. */
  ringCapacityMs: z.number().int().min(40).max(10_000).default(500),
  /** PortAudio device name or id for the microphone; unset = the system default. */
  captureDevice: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
  /** PortAudio device name or id for the speaker; unset = the system default. */
  playbackDevice: z.union([z.string().min(1), z.number().int().min(0)]).optional(),
});

const WorkersConfigFields = z.strictObject({
  readyTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
  pingIntervalMs: z.number().int().min(10).max(60_000).default(1_000),
  /** A worker that has not answered a ping for this long is restarted. */
  pingTimeoutMs: z.number().int().min(20).max(120_000).default(3_000),
  restartBackoffInitialMs: z.number().int().min(0).max(60_000).default(100),
  restartBackoffMaxMs: z.number().int().min(0).max(600_000).default(5_000),
  /** After this many restarts without a healthy period the worker is declared failed. */
  maxConsecutiveRestarts: z.number().int().min(0).max(1_000).default(5),
  /** A worker that has run this long since its last restart counts as healthy again. */
  healthyAfterMs: z.number().int().min(0).max(600_000).default(10_000),
});

/** Cross-field rules: a ping timeout shorter than the ping interval would kill healthy workers. */
const WorkersConfigSchema = WorkersConfigFields.superRefine((workers, ctx) => {
  if (workers.pingTimeoutMs <= workers.pingIntervalMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['pingTimeoutMs'],
      message: `must be greater than workers.pingIntervalMs (${workers.pingIntervalMs})`,
    });
  }
  if (workers.restartBackoffMaxMs < workers.restartBackoffInitialMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['restartBackoffMaxMs'],
      message: `must be at least workers.restartBackoffInitialMs (${workers.restartBackoffInitialMs})`,
    });
  }
});

const LoggingConfigSchema = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
  /** Log file; unset = standard error (standard output stays free for command results). */
  file: z.string().min(1).optional(),
});

const ControllerConfigSchema = z.strictObject({
  mode: z.enum(DEVICE_MODES).default('translate'),
  voice: z.string().min(1).default('en-US'),
  volumeDb: z.number().min(VOLUME_DB_MIN).max(VOLUME_DB_MAX).default(0),
  /** The wearer speaking over the English: stop it (`interrupt`) or play the new English after it (`queue`). */
  bargeIn: z.enum(BARGE_IN_POLICIES).default('interrupt'),
  /**
   * The masker while the wearer speaks (docs/masking.md): `full` holds the leaking voice
   * at SII 0 at the child, `soft` 5 dB quieter below sentence intelligibility, `off` none.
   */
  maskMode: z.enum(MASKER_MODES).default('soft'),
});

export const CollarConfigSchema = z.strictObject({
  audio: AudioConfigSchema.prefault({}),
  workers: WorkersConfigSchema.prefault({}),
  logging: LoggingConfigSchema.prefault({}),
  controller: ControllerConfigSchema.prefault({}),
});

export type CollarConfig = z.infer<typeof CollarConfigSchema>;
export type WorkersConfig = CollarConfig['workers'];
export type AudioConfig = CollarConfig['audio'];
