/** Restart delay after the n-th consecutive failure (n from 1): doubling, capped. */
export function restartDelayMs(consecutiveFailures: number, initialMs: number, maxMs: number): number {
  const exponent = Math.max(0, consecutiveFailures - 1);
  return Math.min(maxMs, initialMs * 2 ** Math.min(exponent, 30));
}
