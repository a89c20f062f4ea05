/**
 * `collar voices list | validate <dir> | add <dir|.tgz> | remove <id> | use <id> | preview <id> [text]`:
 * the accent packs (voices/), for families choosing a voice and designers making one.
 * A pack problem the user can fix (unknown id, invalid pack, id clash) exits 2; a failed
 * install or synthesis exits 1.
 */
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../../pipeline/config/load-config.js';
import { synthesizePackPreview, VoicePackModelError } from '../../../pipeline/engines/tts/load-tts-engine.js';
import { speakableText } from '../../../pipeline/engines/tts/speakable-text.js';
import { UnknownVoiceError } from '../../../pipeline/engines/tts/tts-engine.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { VoicePackUsageError } from '../../../voices/errors.js';
import { packModelStatuses } from '../../../voices/pack-model-state.js';
import { type VoicePackEntry, VoicePackRegistry } from '../../../voices/pack-registry.js';
import { floatToInt16 } from '../../audio/sample-convert.js';
import { writeWav16 } from '../../audio/wav-file.js';
import { UsageError } from '../exit-codes.js';
import { plainTable } from '../plain-table.js';

/** Speaks a pack's text; the CLI uses load-tts-engine's, tests may pass their own. */
export type SynthesizePackPreview = typeof synthesizePackPreview;

export async function importPreviewSynthesizer(): Promise<SynthesizePackPreview> {
  return synthesizePackPreview;
}

export interface VoicesCommandDeps {
  /** Environment for the registry, the configuration and the model store (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Where synthesis comes from (default: `importPreviewSynthesizer`). */
  loadPreviewSynthesizer?: () => Promise<SynthesizePackPreview>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Pack mistakes are the user's input: exit 2. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof VoicePackUsageError) throw new UsageError(error.message);
    throw error;
  }
}

function describePack(entry: VoicePackEntry): string {
  const { pack } = entry;
  return `"${pack.id}" (${pack.displayName}, ${pack.accent}, ${pack.engine} ${pack.engineVoice})`;
}

export function registerVoicesCommand(program: Command, deps: VoicesCommandDeps = {}): void {
  const env = deps.env ?? process.env;
  const out = deps.stdout ?? process.stdout;
  const err = deps.stderr ?? process.stderr;
  const print = (text: string): void => {
    out.write(`${text}\n`);
  };

  /** The registry, knowing the configured voice (`controller.voice`) when `withConfig`. */
  const openRegistry = (withConfig: boolean): VoicePackRegistry => {
    const configuredId = withConfig
      ? loadConfig({ file: program.opts<{ config?: string }>().config, env }).config.controller.voice
      : undefined;
    return new VoicePackRegistry({ env, ...(configuredId !== undefined ? { configuredId } : {}) });
  };

  const voices = program
    .command('voices')
    .description('accent packs: list, validate, add, remove, use and preview voices ($COLLAR_VOICES_DIR)');

  voices
    .command('list')
    .description('every voice pack: accent, engine, built-in or user, which is in use, whether its model is installed')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }) => {
      const registry = openRegistry(true);
      const { packs, skipped } = await registry.scan();
      const current = await registry.current();
      const models = await packModelStatuses(packs, safeStore(env));
      const listing = packs.map((entry) => ({
        id: entry.pack.id,
        displayName: entry.pack.displayName,
        accent: entry.pack.accent,
        engine: entry.pack.engine,
        engineVoice: entry.pack.engineVoice,
        origin: entry.origin,
        inUse: entry.pack.id === current.entry.pack.id,
        model: models.get(entry.pack.id)?.state ?? 'unknown',
        ...(models.get(entry.pack.id)?.detail ? { modelDetail: models.get(entry.pack.id)?.detail } : {}),
        ...(entry.dir ? { dir: entry.dir } : {}),
      }));
      if (options.json) {
        const document = {
          userDir: registry.userDir,
          current: { id: current.entry.pack.id, from: current.from, ...(current.note ? { note: current.note } : {}) },
          packs: listing,
          skipped,
        };
        print(JSON.stringify(document, null, 2));
        return;
      }
      const rows = listing.map((pack) => [
        pack.inUse ? '*' : '',
        pack.id,
        pack.displayName,
        pack.accent,
        `${pack.engine} ${pack.engineVoice}`,
        pack.origin,
        pack.modelDetail ? `${pack.model} (${pack.modelDetail})` : pack.model,
      ]);
      print(plainTable(['', 'id', 'name', 'accent', 'engine', 'origin', 'model'], rows));
      const from = {
        chosen: 'chosen with `collar voices use`',
        config: 'controller.voice in the configuration',
        default: 'the default',
      }[current.from];
      print(`in use: ${current.entry.pack.id} (${from}); user packs: ${registry.userDir}`);
      if (current.note) err.write(`collar: note: ${current.note}\n`);
      for (const skip of skipped) {
        err.write(`collar: skipped ${skip.dir}:\n  - ${skip.problems.join('\n  - ')}\n`);
      }
    });

  voices
    .command('validate')
    .description('check a pack folder (or .tgz): manifest, model files (size and sha256); exits 2 naming every problem')
    .argument('<dir>', 'the pack folder, holding pack.json')
    .action(async (dir: string) => {
      const check = await asUsage(() => openRegistry(false).validateSource(dir));
      if (!check.ok) throw new UsageError(`${dir} is not a valid voice pack:\n  - ${check.problems.join('\n  - ')}`);
      const files = check.pack.model?.files?.length ?? 0;
      print(
        `valid: "${check.pack.id}" (${check.pack.displayName}, ${check.pack.accent}, ${check.pack.engine} ${check.pack.engineVoice}` +
          `${files ? `, ${files} model file(s) verified` : ''})`,
      );
    });

  voices
    .command('add')
    .description('install a pack from a folder or a .tgz (validated first; atomic)')
    .argument('<source>', 'the pack folder or a .tgz of it')
    .option('--force', 'replace an installed pack with the same id')
    .action(async (source: string, options: { force?: boolean }) => {
      const registry = openRegistry(false);
      const result = await asUsage(() => registry.install(source, { force: options.force === true }));
      print(
        `${result.replaced ? 'replaced' : 'installed'} ${describePack({ pack: result.pack, origin: 'user' })} in ${result.dir}`,
      );
      print(`try it: collar voices preview ${result.pack.id}; use it: collar voices use ${result.pack.id}`);
    });

  voices
    .command('remove')
    .description('remove a user pack (built-in packs stay); if it was in use, the default voice is used')
    .argument('<id>', 'pack id (see `collar voices list`)')
    .action(async (id: string) => {
      const result = await asUsage(() => openRegistry(true).remove(id));
      print(result.message);
    });

  voices
    .command('use')
    .description('make a pack the voice in use')
    .argument('<id>', 'pack id (see `collar voices list`)')
    .action(async (id: string) => {
      const registry = openRegistry(false);
      const entry = await asUsage(() => registry.use(id));
      print(`now using ${describePack(entry)}`);
      const status = (await packModelStatuses([entry], safeStore(env))).get(entry.pack.id);
      if (status && status.state !== 'installed' && status.state !== 'not-needed') {
        err.write(`collar: note: its model is ${status.state}${status.detail ? ` (${status.detail})` : ''}\n`);
      }
    });

  voices
    .command('preview')
    .description("speak text (default: the pack's preview lines) in a pack's voice into a WAV file")
    .argument('<id>', 'pack id (see `collar voices list`)')
    .argument('[text...]', "English text to say (default: the pack's previewLines)")
    .option('--out <file>', 'WAV file to write (default: a file in the temp folder)')
    .action(async (id: string, words: string[], options: { out?: string }) => {
      const entry = await asUsage(() => openRegistry(false).get(id));
      const text = words.length > 0 ? words.join(' ').trim() : entry.pack.previewLines.join(' ');
      if (speakableText(text).text === '')
        throw new UsageError(
          `nothing to say: "${text}" has no English a voice can speak (emoji, Chinese and symbols are dropped)`,
        );
      const outPath = resolve(options.out ?? join(tmpdir(), `collar-preview-${entry.pack.id}-${Date.now()}.wav`));
      const outDir = dirname(outPath);
      if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
        throw new UsageError(`--out ${options.out}: the folder ${outDir} does not exist`);
      }
      const synthesize = await (deps.loadPreviewSynthesizer ?? importPreviewSynthesizer)();
      const logger = createRootLogger({ level: 'warn' });
      const audio = await synthesize(entry.pack, text, { logger, ...(entry.dir ? { packDir: entry.dir } : {}) }).catch(
        (error: unknown) => {
          // A pack that names a voice or model its engine does not have is the pack's mistake.
          if (error instanceof UnknownVoiceError || error instanceof VoicePackModelError)
            throw new UsageError(`voice pack "${entry.pack.id}": ${error.message}`);
          throw error;
        },
      );
      if (!(audio.samples instanceof Float32Array) || !(audio.sampleRateHz > 0)) {
        throw new Error(`the ${entry.pack.engine} engine returned no usable audio`);
      }
      const pcm = new Int16Array(audio.samples.length);
      floatToInt16(audio.samples, pcm);
      writeWav16(outPath, pcm, audio.sampleRateHz);
      const seconds = audio.samples.length / audio.sampleRateHz;
      print(`wrote ${outPath} (${seconds.toFixed(2)} s at ${audio.sampleRateHz} Hz, voice "${entry.pack.id}")`);
    });
}

function safeStore(env: NodeJS.ProcessEnv): ReturnType<typeof openModelStore> | undefined {
  try {
    return openModelStore({ env });
  } catch {
    return undefined;
  }
}
