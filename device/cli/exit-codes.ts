/**
 * Exit codes of the `collar` CLI (documented in README.md):
 *   0  success
 *   1  runtime failure (a device, model or worker failed)
 *   2  usage or input error (bad arguments, invalid config, unreadable input)
 *   3  a benchmark target or latency budget was missed (with --strict)
 */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  targetMissed: 3,
} as const;

/** An error the user can fix by changing what they typed or gave: exits with EXIT.usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
