/**
 * `collar vad`: the speech segments Silero VAD and the endpointer find in a recording,
 * printed as JSON in seconds — the same decisions the live pipeline would make.
 */
import type { Command } from 'commander';
import { formatZodIssues } from '../../../pipeline/config/format-issues.js';
import { createRootLogger } from '../../../pipeline/logging/logger.js';
import { openModelStore } from '../../../pipeline/models/index.js';
import { EndpointerOptionsSchema } from '../../../pipeline/stages/vad/endpointer.js';
import { detectSpeechSegments, SpeechDetector } from '../../../pipeline/stages/vad/speech-detector.js';
import { loadSileroVad } from '../../../pipeline/stages/vad/vad-stage.js';
import { UsageError } from '../exit-codes.js';
import { readInputWav } from './denoise.js';

interface VadCliOptions {
  in: string;
  model: string;
  threshold?: string;
  trailingSilenceMs?: string;
  minSpeechMs?: string;
  preRollMs?: string;
  maxUtteranceMs?: string;
}

const toNumber = (value: string | undefined) => (value === undefined ? undefined : Number(value));
const roundSeconds = (samples: number, sampleRate: number) => Math.round((samples / sampleRate) * 1000) / 1000;

export function registerVadCommand(program: Command): void {
  program
    .command('vad')
    .description('print the speech segments found in a recording, as JSON in seconds')
    .requiredOption('--in <file>', 'input WAV (any rate and channel count; resampled to 16 kHz mono)')
    .option('--model <version>', 'Silero VAD version: v5 | v6', 'v6')
    .option('--threshold <p>', 'speech probability that starts speech (default 0.5)')
    .option('--trailing-silence-ms <ms>', 'pause that ends an utterance (default 300)')
    .option('--min-speech-ms <ms>', 'shortest speech that counts (default 250)')
    .option('--pre-roll-ms <ms>', 'audio kept before the start (default 200)')
    .option('--max-utterance-ms <ms>', 'longest utterance before a forced cut at the next pause (default 15000)')
    .action(async (options: VadCliOptions) => {
      if (options.model !== 'v5' && options.model !== 'v6') {
        throw new UsageError(`unknown VAD model "${options.model}"; choose v5 or v6`);
      }
      const threshold = toNumber(options.threshold);
      const endpointerInput = {
        speechThreshold: threshold,
        silenceThreshold: threshold === undefined ? undefined : Math.max(0.01, threshold - 0.15),
        trailingSilenceMs: toNumber(options.trailingSilenceMs),
        minSpeechMs: toNumber(options.minSpeechMs),
        preRollMs: toNumber(options.preRollMs),
        maxUtteranceMs: toNumber(options.maxUtteranceMs),
      };
      const parsed = EndpointerOptionsSchema.safeParse(
        Object.fromEntries(Object.entries(endpointerInput).filter(([, value]) => value !== undefined)),
      );
      if (!parsed.success)
        throw new UsageError(`invalid VAD option: ${formatZodIssues(parsed.error.issues, endpointerInput)}`);
      const audio = await readInputWav(options.in);
      const logger = createRootLogger({ level: 'warn' });
      const vad = await loadSileroVad(options.model, openModelStore({ logger }));
      try {
        const segments = await detectSpeechSegments(new SpeechDetector(vad, parsed.data), audio.samples);
        const rate = audio.sampleRate;
        const report = {
          file: options.in,
          durationS: roundSeconds(audio.samples.length, rate),
          model: `silero-vad-${options.model}`,
          segments: segments.map((segment) => ({
            start: roundSeconds(segment.startSample, rate),
            end: roundSeconds(segment.endSample, rate),
            reason: segment.reason,
          })),
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } finally {
        await vad.close();
      }
    });
}
