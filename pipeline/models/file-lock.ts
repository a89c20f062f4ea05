/**
 * A per-file lock so that two collar processes never download into the same partial at
 * once: `<cache>/<id>/.<name>.lock` holds the owner's pid. A lock whose process is gone
 * (killed mid-fetch) is taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type LockResult = { release(): Promise<void> } | { heldBy: number };

export async function lockFile(lockPath: string): Promise<LockResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { release: () => rm(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) return { heldBy: owner };
    await rm(lockPath, { force: true });
  }
  return { heldBy: Number.NaN };
}
