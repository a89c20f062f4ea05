/** Runs a registry client (npm, pip) and turns its failure into a one-line reason. */
import { execFile } from 'node:child_process';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export function runTool(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr });
          return;
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          reject(new Error(`${command} is not installed or not on PATH`));
          return;
        }
        const lastLines = stderr.trim().split('\n').slice(-3).join(' / ');
        const why = error.killed ? `timed out after ${options.timeoutMs} ms` : `exit code ${String(error.code)}`;
        reject(new Error(`\`${command} ${args.join(' ')}\` failed (${why})${lastLines ? `: ${lastLines}` : ''}`));
      },
    );
  });
}
