/**
 * Where the calibration profile lives and how it is read and written. The file is
 * `calibration.json` beside the config file (`$XDG_CONFIG_HOME/collar/`), or the path in
 * COLLAR_CALIBRATION, or an explicit one. Reading validates it against the schema and
 * says exactly what is wrong; writing is atomic (temp file, fsync, rename), and a step
 * that is run again replaces its own section and keeps the others, as long as they
 * were measured on the same devices.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { formatZodIssue } from '../pipeline/config/format-issues.js';
import { defaultConfigFile } from '../pipeline/config/load-config.js';
import {
  CALIBRATION_SCHEMA_VERSION,
  type CalibrationProfile,
  CalibrationProfileSchema,
} from './calibration-profile.js';
import type { ProfileSections, SectionName } from './steps/step.js';

export const CALIBRATION_FILE_ENV = 'COLLAR_CALIBRATION';
export const SECTION_NAMES: readonly SectionName[] = ['noiseFloor', 'micGain', 'echoPath', 'maskLeak'];

/** A profile that exists but cannot be used: unreadable, not JSON, invalid, or from a newer collar. */
export class CalibrationProfileError extends Error {
  override readonly name = 'CalibrationProfileError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    readonly hint: string,
  ) {
    super(`calibration profile ${file}:\n  - ${problems.join('\n  - ')}\n${hint}`);
  }
}

export function calibrationProfilePath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CALIBRATION_FILE_ENV];
  if (fromEnv) return fromEnv;
  return join(dirname(defaultConfigFile(env)), 'calibration.json');
}

export type LoadedCalibration =
  | { status: 'loaded'; profile: CalibrationProfile; file: string }
  | { status: 'missing'; file: string };

export interface LoadCalibrationOptions {
  /** Explicit profile file (`--profile`); otherwise COLLAR_CALIBRATION, then the config folder. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

const RECALIBRATE_HINT =
  'Run `collar calibrate` again to replace it (`--fresh` starts a new profile), or fix the file.';

export function loadCalibrationProfile(options: LoadCalibrationOptions = {}): LoadedCalibration {
  const file = options.file ?? calibrationProfilePath(options.env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'missing', file };
    throw new CalibrationProfileError(file, [`cannot read the file (${code ?? String(error)})`], RECALIBRATE_HINT);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CalibrationProfileError(file, [`not valid JSON (${(error as Error).message})`], RECALIBRATE_HINT);
  }
  const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > CALIBRATION_SCHEMA_VERSION) {
    throw new CalibrationProfileError(
      file,
      [
        `written by a newer collar (schemaVersion ${version}); this collar reads schemaVersion ${CALIBRATION_SCHEMA_VERSION}`,
      ],
      'Update collar, or calibrate into another file with `collar calibrate --profile FILE`.',
    );
  }
  const result = CalibrationProfileSchema.safeParse(parsed);
  if (!result.success) {
    throw new CalibrationProfileError(
      file,
      result.error.issues.map((issue) => formatZodIssue(issue, parsed)),
      RECALIBRATE_HINT,
    );
  }
  return { status: 'loaded', profile: result.data, file };
}

export interface CalibrationUpdate extends ProfileSections {
  devices: CalibrationProfile['devices'];
}

export interface SaveOptions {
  now?: Date;
  /** Ignore whatever is in the file now (also when it is unreadable) and write only this update. */
  fresh?: boolean;
}

export interface SaveResult {
  profile: CalibrationProfile;
  file: string;
  /** Sections this update wrote. */
  written: SectionName[];
  /** Sections kept from the file as it was. */
  kept: SectionName[];
  /** Sections in the file that were measured on other devices, and so were dropped. */
  dropped: SectionName[];
}

/**
 * Merges `update` into the profile in `file` (if any) and writes it atomically. Sections
 * the update lacks are kept when the file's devices are the update's; measured on other
 * devices, they no longer describe this one and are dropped (the result says which).
 * An existing file that cannot be read throws CalibrationProfileError unless `fresh`.
 */
export function saveCalibrationProfile(update: CalibrationUpdate, file: string, options: SaveOptions = {}): SaveResult {
  const existing = options.fresh ? undefined : loadCalibrationProfile({ file });
  const previous = existing?.status === 'loaded' ? existing.profile : undefined;
  const sameDevices =
    previous !== undefined &&
    previous.devices.capture === update.devices.capture &&
    previous.devices.playback === update.devices.playback;
  const profile: Record<string, unknown> = {
    schemaVersion: CALIBRATION_SCHEMA_VERSION,
    updatedAt: (options.now ?? new Date()).toISOString(),
    devices: update.devices,
    sampleRateHz: 16_000,
  };
  const written: SectionName[] = [];
  const kept: SectionName[] = [];
  const dropped: SectionName[] = [];
  for (const name of SECTION_NAMES) {
    const fresh = update[name];
    const old = previous?.[name];
    if (fresh) {
      profile[name] = fresh;
      written.push(name);
    } else if (old && sameDevices) {
      profile[name] = old;
      kept.push(name);
    } else if (old) {
      dropped.push(name);
    }
  }
  const checked = CalibrationProfileSchema.safeParse(profile);
  if (!checked.success) {
    throw new CalibrationProfileError(
      file,
      checked.error.issues.map((issue) => formatZodIssue(issue, profile)),
      'Nothing was written: these values do not fit the profile format.',
    );
  }
  writeFileAtomic(file, `${JSON.stringify(checked.data, null, 2)}\n`);
  return { profile: checked.data, file, written, kept, dropped };
}

/** Temp file in the same folder, flushed to disk, renamed over the target: never half written. */
function writeFileAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    const fd = openSync(temp, 'w', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
