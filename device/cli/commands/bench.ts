/** `collar bench <name>`: runs one benchmark, prints its table and its JSON line. */
import type { Command } from 'commander';
import { renderReport } from '../../../bench/harness/report.js';
import { BENCHES } from '../../../bench/registry.js';
import { EXIT, UsageError } from '../exit-codes.js';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark: prints a table, then one line of JSON with its figures')
    .argument('[name]', `benchmark to run (${Object.keys(BENCHES).join(', ')})`)
    .option('--scale <factor>', 'run length relative to the default (e.g. 0.1 for a quick look)', '1')
    .option('--strict', `exit with ${EXIT.targetMissed} when a target is missed`)
    .option('--list', 'list the benchmarks')
    .action(async (name: string | undefined, options: { scale: string; strict?: boolean; list?: boolean }) => {
      if (options.list || !name) {
        for (const [benchName, entry] of Object.entries(BENCHES)) {
          process.stdout.write(`${benchName.padEnd(12)} ${entry.description}\n`);
        }
        if (!name && !options.list) throw new UsageError('name a benchmark to run (see the list above)');
        return;
      }
      const entry = BENCHES[name];
      if (!entry) {
        throw new UsageError(`unknown benchmark "${name}"; available: ${Object.keys(BENCHES).join(', ')}`);
      }
      const scale = Number(options.scale);
      if (!(scale > 0) || !Number.isFinite(scale)) {
        throw new UsageError(`--scale must be a number > 0, got "${options.scale}"`);
      }
      const module = await entry.load();
      const report = await module.runBench({ scale });
      process.stdout.write(`${renderReport(report)}\n`);
      if (options.strict && !report.targets.every((target) => target.met)) process.exitCode = EXIT.targetMissed;
    });
}
