/**
 * `collar translate`: what the child would hear for a line of Mandarin, and where it came
 * from — the family phrasebook or machine translation — after the child-safety filter.
 * The phrasebook works without the MT model; anything else needs `opus-mt-zh-en`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { defaultConfigFile } from '../../../pipeline/config/load-config.js';
import { loadMarianEngine } from '../../../pipeline/engines/mt/marian-engine.js';
import { MAX_BEAM_WIDTH } from '../../../pipeline/engines/mt/mt-engine.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { type ChildTranslation, ChildTranslator } from '../../../pipeline/text/child-translator.js';
import { loadPhrasebook } from '../../../pipeline/text/phrasebook/load-phrasebook.js';
import { PhrasebookFileError } from '../../../pipeline/text/phrasebook/phrasebook-file-error.js';
import { ChildSafetyFilter } from '../../../pipeline/text/safety/child-safety-filter.js';
import { UsageError } from '../exit-codes.js';

interface TranslateCliOptions {
  beam: string;
  phrasebook?: string | false;
  json?: boolean;
}

/** The family's phrasebook beside the config file, used when it exists. */
export function defaultPhrasebookFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(defaultConfigFile(env)), 'phrasebook.json');
}

function describeSource(result: ChildTranslation): string {
  if (result.source === 'phrasebook' && result.phrase) {
    return `phrasebook: ${result.phrase.id} (${result.phrase.category}), similarity ${result.phrase.similarity.toFixed(2)} to "${result.phrase.variant}"`;
  }
  if (result.source === 'mt' && result.mt) {
    const cached = result.mt.fromCache > 0 ? `, ${result.mt.fromCache} from cache` : '';
    return `mt: ${result.mt.engine}, ${result.mt.sentences} sentence(s)${cached}, ${result.elapsedMs.toFixed(0)} ms`;
  }
  return 'nothing to translate';
}

export function registerTranslateCommand(program: Command): void {
  program
    .command('translate')
    .description('translate Mandarin into the English the child hears (phrasebook or MT, then the safety filter)')
    .argument('<text...>', 'the Mandarin text')
    .option('--beam <n>', `beam width 1..${MAX_BEAM_WIDTH} (1 = greedy)`, '1')
    .option('--phrasebook <file>', 'the family phrasebook JSON (default: phrasebook.json beside the config file)')
    .option('--no-phrasebook', 'machine translation only')
    .option('--json', 'print the result as JSON')
    .action(async (words: string[], options: TranslateCliOptions) => {
      const beamWidth = Number(options.beam);
      if (!Number.isInteger(beamWidth) || beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
        throw new UsageError(`--beam must be an integer from 1 to ${MAX_BEAM_WIDTH}, got "${options.beam}"`);
      }
      const logger = createRootLogger({ level: 'warn' });
      let phrasebook: Awaited<ReturnType<typeof loadPhrasebook>> | undefined;
      if (options.phrasebook !== false) {
        const fallback = defaultPhrasebookFile();
        const userFile = options.phrasebook ?? (existsSync(fallback) ? fallback : undefined);
        try {
          phrasebook = await loadPhrasebook({ logger, ...(userFile ? { userFile } : {}) });
        } catch (error) {
          if (error instanceof PhrasebookFileError) throw new UsageError(error.message);
          throw error;
        }
      }
      const store = openModelStore({ logger });
      const translator = new ChildTranslator({
        phrasebook,
        loadMt: () => loadMarianEngine(store, { logger, defaultBeamWidth: beamWidth }),
        safety: new ChildSafetyFilter(logger),
        logger,
      });
      try {
        const result = await translator.translate(words.join(' '), { beamWidth });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          process.stdout.write(`${result.english}\n`);
          process.stderr.write(`${describeSource(result)}\n`);
          for (const replaced of result.safetyReplacements) {
            process.stderr.write(`safety filter: replaced "${replaced.original}" (${replaced.category})\n`);
          }
        }
      } finally {
        await translator.dispose();
      }
    });
}
