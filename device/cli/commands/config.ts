/** `collar config check|show|path`: validate and print the effective configuration. */
import type { Command } from 'commander';
import { defaultConfigFile, loadConfig } from '../../../pipeline/config/load-config.js';

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('inspect the configuration (file plus COLLAR__* overrides)');
  config
    .command('check')
    .description('validate the configuration; exits 2 and names each bad key when invalid')
    .action(() => {
      const { file, envOverrides } = loadConfig({ file: program.opts<{ config?: string }>().config });
      const overrides = Object.keys(envOverrides);
      process.stdout.write(
        `configuration is valid (${file ?? 'no file, defaults'}${overrides.length ? `; from environment: ${overrides.join(', ')}` : ''})\n`,
      );
    });
  config
    .command('show')
    .description('print the effective configuration as JSON')
    .action(() => {
      const { config: effective } = loadConfig({ file: program.opts<{ config?: string }>().config });
      process.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
    });
  config
    .command('path')
    .description('print where the configuration file is looked for')
    .action(() => {
      process.stdout.write(
        `${program.opts<{ config?: string }>().config ?? process.env.COLLAR_CONFIG ?? defaultConfigFile()}\n`,
      );
    });
}
