/**
 * Closing a PortAudio stream whose device has failed can hang inside quit(); give it a
 * bounded time, then abort, so a lost device never blocks shutdown or recovery.
 */
import type { IoStream } from 'naudiodon';

const QUIT_TIMEOUT_MS = 1_000;

export async function closeStream(io: IoStream): Promise<void> {
  const quit = new Promise<boolean>((resolve) => io.quit(() => resolve(true)));
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), QUIT_TIMEOUT_MS).unref());
  if (!(await Promise.race([quit, timedOut]))) {
    try {
      io.abort();
    } catch {
      // Already closed: nothing more to release.
    }
  }
}
