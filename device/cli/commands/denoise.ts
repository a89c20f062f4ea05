/**
 * `collar denoise`: run the noise suppressor over a recording, as the microphone path
 * would, and write the result time-aligned with the input (16 kHz mono, 16-bit).
 */
import type { Command } from 'commander';
import { floatToInt16 } from '../../../device/audio/sample-convert.js';
import { denoiseSignal } from '../../../pipeline/engines/denoise/block-denoiser.js';
import { DENOISE_ENGINES } from '../../../pipeline/engines/denoise/denoise-engine.js';
import { type DenoiseEngineChoice, loadDenoiseEngine } from '../../../pipeline/engines/denoise/load-denoise-engine.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { readPipelineWav } from '../../audio/read-pipeline-wav.js';
import { WavFormatError, writeWav16 } from '../../audio/wav-file.js';
import { UsageError } from '../exit-codes.js';

const ENGINE_CHOICES: readonly DenoiseEngineChoice[] = ['auto', ...DENOISE_ENGINES];

export async function readInputWav(path: string) {
  try {
    return await readPipelineWav(path);
  } catch (error) {
    if (error instanceof WavFormatError) throw new UsageError(error.message);
    throw error;
  }
}

export function registerDenoiseCommand(program: Command): void {
  program
    .command('denoise')
    .description('suppress noise in a recording (output: 16 kHz mono 16-bit WAV, aligned with the input)')
    .requiredOption('--in <file>', 'input WAV (any rate and channel count; resampled to 16 kHz mono)')
    .requiredOption('--out <file>', 'output WAV')
    .option('--engine <name>', `${ENGINE_CHOICES.join(' | ')} (auto: GTCRN if installed, else RNNoise)`, 'auto')
    .action(async (options: { in: string; out: string; engine: string }) => {
      if (!ENGINE_CHOICES.includes(options.engine as DenoiseEngineChoice)) {
        throw new UsageError(`unknown engine "${options.engine}"; choose one of ${ENGINE_CHOICES.join(', ')}`);
      }
      const audio = await readInputWav(options.in);
      const logger = createRootLogger({ level: 'warn' });
      const engine = await loadDenoiseEngine(options.engine as DenoiseEngineChoice, openModelStore({ logger }), logger);
      try {
        const startedMs = performance.now();
        const denoised = await denoiseSignal(engine, audio.samples);
        const elapsedMs = performance.now() - startedMs;
        const pcm = new Int16Array(denoised.length);
        floatToInt16(denoised, pcm);
        writeWav16(options.out, pcm, audio.sampleRate);
        const durationS = audio.samples.length / audio.sampleRate;
        const converted =
          audio.sourceRate !== audio.sampleRate || audio.sourceChannels !== 1
            ? ` (input ${audio.sourceRate} Hz, ${audio.sourceChannels} ch, converted to 16 kHz mono)`
            : '';
        process.stdout.write(
          `denoised ${durationS.toFixed(2)} s with ${engine.name}${converted} in ${(elapsedMs / 1000).toFixed(2)} s ` +
            `(real-time factor ${(elapsedMs / 1000 / durationS).toFixed(3)}); wrote ${options.out}\n`,
        );
      } finally {
        await engine.close();
      }
    });
}
