/**
 * `collar transcribe`: recognise the Mandarin in a recording with the same engine and
 * stream the live pipeline uses. `--partials` feeds the audio in 20 ms frames, as the VAD
 * would, and prints each partial hypothesis as it comes (decoding paces the feed, so the
 * partials are those a fast enough device would show).
 */
import type { Command } from 'commander';
import type { AsrHypothesis } from '../../../pipeline/engines/asr/asr-engine.js';
import { ASR_ENGINES, type AsrEngineChoice, loadAsrEngine } from '../../../pipeline/engines/asr/load-asr-engine.js';
import { SENSE_VOICE_LANGUAGES, type SenseVoiceLanguage } from '../../../pipeline/engines/asr/sense-voice-engine.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { UsageError } from '../exit-codes.js';
import { readInputWav } from './denoise.js';

const ENGINE_CHOICES: readonly AsrEngineChoice[] = ['auto', ...ASR_ENGINES];
const FRAME_SAMPLES = 320;
/**
 * The recognisers decode a segment in one pass (cost grows faster than its length); the
 * live pipeline cuts utterances at 15 s plus at most 3 s more.
 */
const MAX_TRANSCRIBE_S = 60;

interface TranscribeCliOptions {
  in: string;
  engine: string;
  language: string;
  partials?: boolean;
  partialIntervalMs: string;
  json?: boolean;
}

export function registerTranscribeCommand(program: Command): void {
  program
    .command('transcribe')
    .description('recognise the speech in a recording and print the text')
    .requiredOption('--in <file>', 'input WAV (any rate and channel count; resampled to 16 kHz mono)')
    .option('--engine <name>', `${ENGINE_CHOICES.join(' | ')} (auto: the first installed)`, 'auto')
    .option('--language <code>', `language prompt: ${SENSE_VOICE_LANGUAGES.join(' | ')}`, 'zh')
    .option('--partials', 'print partial hypotheses as the audio is fed in 20 ms frames')
    .option('--partial-interval-ms <ms>', 're-decode the growing segment this often', '400')
    .option('--json', 'print the final result as JSON')
    .action(async (options: TranscribeCliOptions) => {
      if (!ENGINE_CHOICES.includes(options.engine as AsrEngineChoice)) {
        throw new UsageError(`unknown engine "${options.engine}"; choose one of ${ENGINE_CHOICES.join(', ')}`);
      }
      if (!SENSE_VOICE_LANGUAGES.includes(options.language as SenseVoiceLanguage)) {
        throw new UsageError(
          `unknown language "${options.language}"; choose one of ${SENSE_VOICE_LANGUAGES.join(', ')}`,
        );
      }
      const partialIntervalMs = Number(options.partialIntervalMs);
      if (!Number.isFinite(partialIntervalMs) || partialIntervalMs < 20) {
        throw new UsageError(`--partial-interval-ms must be a number ≥ 20, got "${options.partialIntervalMs}"`);
      }
      const audio = await readInputWav(options.in);
      const durationS = audio.samples.length / audio.sampleRate;
      if (durationS > MAX_TRANSCRIBE_S) {
        throw new UsageError(
          `${options.in} is ${durationS.toFixed(0)} s long; transcribe takes one utterance of up to ${MAX_TRANSCRIBE_S} s. ` +
            `For a longer recording run \`collar listen --in ${options.in} --no-translate\`, which splits it at the pauses.`,
        );
      }
      const logger = createRootLogger({ level: 'warn' });
      const engine = await loadAsrEngine(options.engine as AsrEngineChoice, openModelStore({ logger }), {
        language: options.language as SenseVoiceLanguage,
        logger,
      });
      try {
        // With --json, stdout holds only the JSON document; partials go to stderr.
        const partialsOut = options.json ? process.stderr : process.stdout;
        const final = options.partials
          ? await transcribeWithPartials(
              engine.createStream.bind(engine),
              audio.samples,
              partialIntervalMs,
              partialsOut,
            )
          : await engine.transcribe(audio.samples);
        if (options.partials && !options.json) process.stdout.write(`[final ${(final.audioMs / 1000).toFixed(2)} s] `);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ file: options.in, engine: engine.id, ...final }, null, 2)}\n`);
        } else {
          process.stdout.write(`${final.text}\n`);
          if (final.text === '') process.stderr.write('collar: no speech was recognised\n');
          process.stderr.write(
            `${engine.id}: ${(final.audioMs / 1000).toFixed(2)} s of audio decoded in ${final.decodeMs.toFixed(0)} ms` +
              `${final.language ? `, language ${final.language}` : ''}\n`,
          );
        }
      } finally {
        await engine.dispose();
      }
    });
}

async function transcribeWithPartials(
  createStream: (options: { partialIntervalMs: number; onPartial: (h: AsrHypothesis) => void }) => {
    accept(samples: Float32Array): void;
    idle(): Promise<void>;
    finish(): Promise<AsrHypothesis>;
  },
  samples: Float32Array,
  partialIntervalMs: number,
  out: NodeJS.WritableStream,
): Promise<AsrHypothesis> {
  const stream = createStream({
    partialIntervalMs,
    onPartial: (hypothesis) => out.write(`[partial ${(hypothesis.audioMs / 1000).toFixed(2)} s] ${hypothesis.text}\n`),
  });
  for (let start = 0; start < samples.length; start += FRAME_SAMPLES) {
    stream.accept(samples.subarray(start, start + FRAME_SAMPLES));
    await stream.idle();
  }
  return stream.finish();
}
