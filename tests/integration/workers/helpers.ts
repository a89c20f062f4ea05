/** Shared set-up for worker tests: supervision settings fast enough for a test run. */
import type { WorkersConfig } from '../../../pipeline/config/schema.js';

export const FAST_SUPERVISION: WorkersConfig = {
  readyTimeoutMs: 20_000,
  pingIntervalMs: 50,
  pingTimeoutMs: 600,
  restartBackoffInitialMs: 20,
  restartBackoffMaxMs: 200,
  maxConsecutiveRestarts: 3,
  healthyAfterMs: 60_000,
};

export function waitFor<T>(emitter: NodeJS.EventEmitter, event: string, timeoutMs = 20_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for "${event}"`)), timeoutMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Polls `condition` every 5 ms until it holds; fails the test after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
