/**
 * Runs the `collar` CLI from the sources without blocking this process's event loop, for
 * tests that serve something (a loopback HTTP server) to the CLI they run.
 */
import { execFile } from 'node:child_process';
import type { CollarResult } from './run-collar.js';
import { ROOT } from './run-collar.js';

export function runCollarAsync(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CollarResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'device/cli/collar.ts', ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', COLLAR__LOGGING__LEVEL: 'warn', ...env },
        timeout: timeoutMs,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
