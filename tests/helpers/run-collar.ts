/** Runs the `collar` CLI from the sources (through tsx), as a user would run the built one. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CollarResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCollar(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): CollarResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'device/cli/collar.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', COLLAR__LOGGING__LEVEL: 'warn', ...env },
    timeout: timeoutMs,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
