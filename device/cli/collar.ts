#!/usr/bin/env node
/**
 * The `collar` command line. Each subcommand lives in ./commands; this file only wires
 * them up and turns errors into the documented exit codes (see ./exit-codes.ts).
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../../pipeline/config/load-config.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerCalibrateCommand } from './commands/calibrate.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDenoiseCommand } from './commands/denoise.js';
import { registerDevicesCommand } from './commands/devices.js';
import { registerListenCommand } from './commands/listen.js';
import { registerModelsCommand } from './commands/models.js';
import { registerRunCommand } from './commands/run.js';
import { registerTranscribeCommand } from './commands/transcribe.js';
import { registerTranslateCommand } from './commands/translate.js';
import { registerVadCommand } from './commands/vad.js';
import { registerVoicesCommand } from './commands/voices.js';
import { EXIT, UsageError } from './exit-codes.js';

function buildProgram(): Command {
  const program = new Command('collar')
    .description('controller of the collar neck-worn Mandarin→English translator')
    .option('-c, --config <file>', 'configuration file (default: $XDG_CONFIG_HOME/collar/config.json)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerRunCommand(program);
  registerDevicesCommand(program);
  registerConfigCommand(program);
  registerDenoiseCommand(program);
  registerVadCommand(program);
  registerTranscribeCommand(program);
  registerTranslateCommand(program);
  registerListenCommand(program);
  registerBenchCommand(program);
  registerModelsCommand(program);
  registerVoicesCommand(program);
  registerCalibrateCommand(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError || error instanceof ConfigError) {
      process.stderr.write(`collar: ${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`collar: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
