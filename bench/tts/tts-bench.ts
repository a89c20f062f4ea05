/**
 * `collar bench tts`: per installed voice pack (every built-in espeak-ng accent, and each
 * neural voice whose model is installed), the time to first audio for a 12-word
 * child-directed sentence — text in, first clause's samples out, as the pipeline streams
 * it — and the real-time factor of the whole sentence. Packs whose model is not installed
 * are listed with the command that installs them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Delivery, TtsStream } from '../../pipeline/engines/tts/clause-stream.js';
import { deliveryFor, loadTtsEngine } from '../../pipeline/engines/tts/load-tts-engine.js';
import { createRootLogger } from '../../pipeline/logging/logger.js';
import { ModelNotInstalledError, openModelStore } from '../../pipeline/models/index.js';
import { BUILTIN_VOICE_PACKS } from '../../voices/builtin/index.js';
import type { BenchReport, BenchTarget } from '../harness/report.js';
import { percentileOf } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import { pocketsphinxMissing, recogniseEnglish, writeRecognisableWav } from './pocketsphinx.js';
import { wordErrorRate } from './word-error-rate.js';

/** 12 words, two clauses: the first can be spoken while the second is synthesised. */
export const BENCH_SENTENCE = "After your bath, we'll read your favourite story together in bed.";
/** Sentences recognised back for the word error rate (pocketsphinx, US English model). */
export const WER_SENTENCES = [
  'Time to brush your teeth.',
  'Can you put your shoes on?',
  'I love you very much.',
  'Let us go to the park and play.',
  'Good morning, sweetheart.',
  'Please wash your hands before dinner.',
  'Where is your teddy bear?',
  'It is time for bed now.',
];

/** Time to first audio the device budget allows synthesis (DESIGN.md: TTS ~150 ms). */
const TARGET_FIRST_AUDIO_MS = 150;

const WARM_UP_SENTENCES = 20;

type Row = Array<string | number>;

async function timeSentence(engine: Awaited<ReturnType<typeof loadTtsEngine>>, delivery: Delivery) {
  const stream = new TtsStream(engine, delivery);
  const started = performance.now();
  stream.push(BENCH_SENTENCE);
  stream.end();
  let firstAudioMs = Number.NaN;
  let audioSamples = 0;
  for await (const chunk of stream) {
    if (Number.isNaN(firstAudioMs)) firstAudioMs = performance.now() - started;
    audioSamples += chunk.samples.length;
  }
  const totalMs = performance.now() - started;
  return {
    firstAudioMs,
    rtf: totalMs / 1000 / (audioSamples / engine.sampleRateHz),
    audioS: audioSamples / engine.sampleRateHz,
  };
}

/** Mean open-vocabulary WER of pocketsphinx on the pack's speech, or undefined without pocketsphinx. */
async function recognisedWer(
  engine: Awaited<ReturnType<typeof loadTtsEngine>>,
  delivery: Delivery,
  workDir: string,
): Promise<number | undefined> {
  if (pocketsphinxMissing()) return undefined;
  let total = 0;
  for (const sentence of WER_SENTENCES) {
    const stream = new TtsStream(engine, delivery);
    stream.push(sentence);
    stream.end();
    const { samples, sampleRateHz } = await stream.collect();
    const wav = await writeRecognisableWav(samples, sampleRateHz, join(workDir, 'sentence.wav'));
    total += wordErrorRate(recogniseEnglish(wav), sentence);
  }
  return total / WER_SENTENCES.length;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const logger = createRootLogger({ level: 'error' });
  const store = openModelStore({ logger });
  const repeats = Math.max(3, Math.round(9 * options.scale));
  const rows: Row[] = [];
  const targets: BenchTarget[] = [];
  const figures: Record<string, unknown> = {};
  const notInstalled: string[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'collar-bench-tts-'));
  // espeak-ng's wasm gets fast only after V8 has optimised it (about a second of work);
  // a device does that once at boot, so the figures are taken after it.
  const [firstPack] = BUILTIN_VOICE_PACKS;
  if (firstPack) {
    const warm = await loadTtsEngine(firstPack, { logger, store });
    for (let i = 0; i < WARM_UP_SENTENCES; i++) await timeSentence(warm, deliveryFor(firstPack));
    await warm.dispose();
  }
  try {
    for (const pack of BUILTIN_VOICE_PACKS) {
      let engine: Awaited<ReturnType<typeof loadTtsEngine>>;
      try {
        engine = await loadTtsEngine(pack, { logger, store });
      } catch (error) {
        if (!(error instanceof ModelNotInstalledError)) throw error;
        notInstalled.push(`${pack.id}: ${error.message}`);
        rows.push([pack.id, `${pack.engine} ${pack.engineVoice}`, '—', '—', '—', 'not installed']);
        continue;
      }
      try {
        const delivery = deliveryFor(pack);
        const first = await timeSentence(engine, delivery); // includes the engine's first-call warm-up
        const runs = [];
        for (let r = 0; r < repeats; r++) runs.push(await timeSentence(engine, delivery));
        const wer = await recognisedWer(engine, delivery, workDir);
        const firstAudioMs = percentileOf(
          runs.map((r) => r.firstAudioMs),
          0.5,
        );
        const rtf = percentileOf(
          runs.map((r) => r.rtf),
          0.5,
        );
        rows.push([
          pack.id,
          `${pack.engine} ${pack.engineVoice}`,
          `${firstAudioMs.toPrecision(3)} ms`,
          rtf.toPrecision(3),
          wer === undefined ? 'n/a' : wer.toFixed(2),
          `${runs[0]?.audioS.toFixed(2)} s audio at ${engine.sampleRateHz} Hz; first call ${first.firstAudioMs.toFixed(0)} ms`,
        ]);
        figures[pack.id] = {
          engine: pack.engine,
          voice: pack.engineVoice,
          firstAudioMsP50: Number(firstAudioMs.toPrecision(3)),
          rtfP50: Number(rtf.toPrecision(3)),
          firstCallFirstAudioMs: Math.round(first.firstAudioMs),
          ...(wer === undefined ? {} : { pocketsphinxWer: Number(wer.toFixed(3)) }),
          audioSeconds: Number(runs[0]?.audioS.toFixed(2)),
        };
        targets.push({
          name: `${pack.id}: time to first audio`,
          required: `<= ${TARGET_FIRST_AUDIO_MS} ms`,
          measured: `${firstAudioMs.toFixed(1)} ms`,
          met: firstAudioMs <= TARGET_FIRST_AUDIO_MS,
        });
      } finally {
        await engine.dispose();
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  figures.notInstalled = notInstalled;
  return {
    bench: 'tts',
    title: 'speech synthesis: time to first audio and real-time factor per voice pack',
    head: ['pack', 'engine / voice', 'first audio (p50)', 'RTF (p50)', 'WER', 'detail'],
    rows,
    targets,
    figures,
    notes: [
      `sentence (12 words): "${BENCH_SENTENCE}", each pack's own rate and pauses; median of ${repeats} runs after a first call ("first call" is that call), after a ${WARM_UP_SENTENCES}-sentence warm-up of the engine runtime`,
      'first audio = text in → first clause’s samples out (the rest is synthesised while it plays); RTF = synthesis time / audio length',
      pocketsphinxMissing()
        ? `WER: n/a (${pocketsphinxMissing()} not installed: apt-get install pocketsphinx pocketsphinx-en-us)`
        : `WER: pocketsphinx (US English model, open vocabulary) on ${WER_SENTENCES.length} child-directed sentences; it hears formant (espeak-ng) voices poorly, so compare neural voices with it`,
      ...notInstalled,
    ],
  };
}
