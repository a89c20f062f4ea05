/**
 * Runs `collar voices ...` in-process: the command registered on a fresh commander program,
 * with errors turned into exit codes as device/cli/collar.ts does (UsageError and
 * ConfigError → 2, anything else → 1). Standard output and error are captured.
 */
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { registerVoicesCommand, type VoicesCommandDeps } from '../../../device/cli/commands/voices.js';
import { EXIT, UsageError } from '../../../device/cli/exit-codes.js';
import { ConfigError } from '../../../pipeline/config/load-config.js';

export interface VoicesRun {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export async function runVoices(
  args: string[],
  env: NodeJS.ProcessEnv,
  deps: Omit<VoicesCommandDeps, 'env' | 'stdout' | 'stderr'> = {},
): Promise<VoicesRun> {
  const stdout = capture();
  const stderr = capture();
  const program = new Command('collar')
    .option('-c, --config <file>')
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.stream.write(text), writeErr: (text) => stderr.stream.write(text) });
  registerVoicesCommand(program, { ...deps, env, stdout: stdout.stream, stderr: stderr.stream });
  let code: number = EXIT.ok;
  try {
    await program.parseAsync(['voices', ...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    else {
      stderr.stream.write(`collar: ${error instanceof Error ? error.message : String(error)}\n`);
      code = error instanceof UsageError || error instanceof ConfigError ? EXIT.usage : EXIT.failure;
    }
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
