/**
 * Option parsing shared by the speaker-path modules: every bad option becomes one
 * RangeError that names the option, the allowed range and the value that came.
 */
import { z } from 'zod';
import { formatZodIssues } from '../../config/format-issues.js';

/** A finite number in [min, max] whose error message states the range and unit. */
export function numberIn(min: number, max: number, unit: string): z.ZodNumber {
  const message = `must be between ${min} and ${max} ${unit}`;
  return z
    .number({ error: `must be a number (${min} to ${max} ${unit})` })
    .min(min, message)
    .max(max, message);
}

/** A finite number in (min, max]: for durations that must not be zero. */
export function numberAbove(min: number, max: number, unit: string): z.ZodNumber {
  const message = `must be more than ${min} and at most ${max} ${unit}`;
  return z
    .number({ error: `must be a number (${min} to ${max} ${unit})` })
    .gt(min, message)
    .max(max, message);
}

export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  owner: string,
): z.output<Schema> {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) throw new RangeError(`${owner}: ${formatZodIssues(parsed.error.issues, input ?? {})}`);
  return parsed.data;
}
