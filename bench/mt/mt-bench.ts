/**
 * `collar bench mt`: the text half of the pipeline, from recognised Mandarin to the English
 * the child hears. Per installed MT engine, milliseconds per sentence (greedy and beam) on
 * parent-to-child sentences and the recordings' transcripts, with the translations; the
 * cost of the phrasebook lookup, the tokenizer (real sentencepiece models from ../shared)
 * and the safety filter; and the phrasebook threshold measurement behind MATCH_THRESHOLD.
 * An MT model that is not installed is measured on its stand-in graph, labelled as such.
 */
import { join } from 'node:path';
import { loadMarianEngine } from '../../pipeline/engines/mt/marian-engine.js';
import { MarianTokenizer } from '../../pipeline/engines/mt/marian-tokenizer.js';
import type { MtEngine } from '../../pipeline/engines/mt/mt-engine.js';
import { createRootLogger } from '../../pipeline/logging/logger.js';
import { ModelNotInstalledError, openModelStore } from '../../pipeline/models/index.js';
import { BUILTIN_PHRASEBOOK } from '../../pipeline/text/phrasebook/builtin-phrasebook.js';
import { MATCH_THRESHOLD } from '../../pipeline/text/phrasebook/match-threshold.js';
import { Phrasebook } from '../../pipeline/text/phrasebook/phrasebook.js';
import { measureMatchThreshold } from '../../pipeline/text/phrasebook/threshold-measurement/measure-match-threshold.js';
import { UNRELATED_SENTENCES } from '../../pipeline/text/phrasebook/threshold-measurement/unrelated-sentences.js';
import { ChildSafetyFilter } from '../../pipeline/text/safety/child-safety-filter.js';
import { firstMissing, SHARED_PATHS } from '../frontend/shared-data.js';
import type { BenchReport, BenchTarget } from '../harness/report.js';
import { percentileOf, round } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import { standInMarianStore } from './marian-stand-in-store.js';

/** Sentences a parent says that the phrasebook does not cover, plus the recordings' transcripts. */
export const MT_SENTENCES: readonly string[] = [
  '今天幼儿园里你和谁一起玩了？',
  '我们周末去动物园看大熊猫好不好？',
  '外面下雨了，记得穿上雨靴。',
  '奶奶明天早上坐飞机来看你。',
  '你画的这只小猫真可爱。',
  '广州市房地产中介协会分析',
  '欢迎大家来体验达摩院推出的语音识别模型',
  '我想问我在滨海新区有房',
];
const BEAM_WIDTHS = [1, 2, 4] as const;
/** Per sentence, greedy, on the real model (DESIGN.md leaves MT ~250 ms of the budget). */
const TARGET_MT_MS = 250;

type Row = Array<string | number>;

function timeEach<T>(items: readonly T[], work: (item: T) => unknown, repeats: number): number[] {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    for (const item of items) {
      const start = performance.now();
      work(item);
      times.push(performance.now() - start);
    }
  }
  return times;
}

function costRow(rows: Row[], figures: Record<string, unknown>, name: string, times: number[], unit: string) {
  const p50 = percentileOf(times, 0.5);
  const p99 = percentileOf(times, 0.99);
  rows.push([name, unit, `${p50.toPrecision(3)} ms`, `${p99.toPrecision(3)} ms`, '']);
  figures[name] = { p50Ms: Number(p50.toPrecision(3)), p99Ms: Number(p99.toPrecision(3)), samples: times.length };
}

async function measureEngine(
  label: string,
  engine: MtEngine,
  repeats: number,
  rows: Row[],
  figures: Record<string, unknown>,
  targets: BenchTarget[],
  sentences: readonly string[],
): Promise<void> {
  const entry: Record<string, unknown> = {};
  await engine.translate(sentences[0] as string, { beamWidth: 1 }); // warm-up
  for (const beamWidth of BEAM_WIDTHS) {
    const times: number[] = [];
    const translations: Record<string, string> = {};
    for (let r = 0; r < repeats; r++) {
      for (const sentence of sentences) {
        // The engine runs with its cache off, so every repeat is decoded afresh.
        const result = await engine.translate(sentence, { beamWidth });
        times.push(result.elapsedMs);
        if (r === 0) translations[sentence] = result.text;
      }
    }
    const p50 = percentileOf(times, 0.5);
    rows.push([
      label,
      `beam ${beamWidth}`,
      `${p50.toPrecision(3)} ms`,
      `${percentileOf(times, 0.99).toPrecision(3)} ms`,
      '',
    ]);
    entry[`beam${beamWidth}MsPerSentenceP50`] = Number(p50.toPrecision(3));
    if (beamWidth === 1) entry.translations = translations;
    if (beamWidth === 1 && !label.includes('STAND-IN')) {
      targets.push({
        name: `${label}: ms per sentence, greedy`,
        required: `<= ${TARGET_MT_MS} ms`,
        measured: `${round(p50, 1)} ms`,
        met: p50 <= TARGET_MT_MS,
      });
    }
    if (beamWidth === 1) {
      for (const [zh, en] of Object.entries(translations)) rows.push([label, zh, '', '', en]);
    }
  }
  figures[label] = entry;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const tokenizerDir = join(SHARED_PATHS.modelsDir, 'opus-mt-zh-en-tokenizer');
  const missing = firstMissing([join(tokenizerDir, 'source.spm'), join(tokenizerDir, 'vocab.json')]);
  if (missing)
    throw new Error(
      `bench mt needs the real tokenizer files in ../shared: ${missing} is missing (or set COLLAR_SHARED_DIR)`,
    );
  const repeats = Math.max(1, Math.round(3 * options.scale));
  const logger = createRootLogger({ level: 'error' });
  const rows: Row[] = [];
  const targets: BenchTarget[] = [];
  const figures: Record<string, unknown> = {};
  const notes: string[] = [];

  // The parts every utterance goes through, on real data.
  const book = new Phrasebook(BUILTIN_PHRASEBOOK);
  const queries = [...BUILTIN_PHRASEBOOK.flatMap((entry) => entry.zh), ...UNRELATED_SENTENCES, ...MT_SENTENCES];
  costRow(
    rows,
    figures,
    'phrasebook lookup',
    timeEach(queries, (q) => book.match(q), repeats),
    `${BUILTIN_PHRASEBOOK.length} entries`,
  );
  const tokenizer = await MarianTokenizer.fromFolder(tokenizerDir);
  costRow(
    rows,
    figures,
    'Marian tokenizer',
    timeEach(MT_SENTENCES, (s) => tokenizer.encode(s), repeats * 10),
    'per sentence',
  );
  const safety = new ChildSafetyFilter(logger);
  const english = BUILTIN_PHRASEBOOK.map((entry) => entry.en);
  costRow(
    rows,
    figures,
    'safety filter',
    timeEach(english, (s) => safety.clean(s), repeats),
    'per sentence',
  );

  // The phrasebook threshold, measured.
  const measurement = measureMatchThreshold();
  for (const row of measurement.rows) {
    rows.push([
      'phrasebook threshold',
      row.threshold.toFixed(2),
      `FA ${row.falseAccepts}`,
      `FR ${(row.falseRejectRate * 100).toFixed(1)} %`,
      row.threshold === MATCH_THRESHOLD ? 'in use' : '',
    ]);
  }
  figures.phrasebookThreshold = {
    inUse: MATCH_THRESHOLD,
    chosenByMeasurement: measurement.chosen?.threshold,
    positives: measurement.positives,
    negativePairs: measurement.negativePairs,
    rows: measurement.rows.map(({ threshold, falseAccepts, falseRejectRate }) => ({
      threshold,
      falseAccepts,
      falseRejectRate,
    })),
  };
  targets.push({
    name: 'phrasebook: no false accepts at the threshold in use',
    required: '0',
    measured: String(measurement.rows.find((row) => row.threshold === MATCH_THRESHOLD)?.falseAccepts ?? 'n/a'),
    met: measurement.rows.find((row) => row.threshold === MATCH_THRESHOLD)?.falseAccepts === 0,
  });

  // MT: the installed model, else its stand-in.
  const store = openModelStore({ logger });
  let engine: MtEngine | undefined;
  try {
    engine = await loadMarianEngine(store, { logger, cache: 0 });
  } catch (error) {
    if (!(error instanceof ModelNotInstalledError)) throw error;
    notes.push(`opus-mt-zh-en: ${error.message}`);
    rows.push(['opus-mt-zh-en', '—', '—', '—', 'not installed']);
  }
  if (engine) {
    try {
      await measureEngine('opus-mt-zh-en', engine, repeats, rows, figures, targets, MT_SENTENCES);
    } finally {
      await engine.dispose();
    }
  } else {
    const standIn = await standInMarianStore(tokenizer, MT_SENTENCES, logger);
    try {
      await measureEngine('opus-mt-zh-en STAND-IN', standIn.engine, repeats, rows, figures, targets, MT_SENTENCES);
      notes.push(
        'STAND-IN rows: Marian through the production path (store, transformers.js, tokenizer, beam search) on graphs with the real signature and made-up weights (bench/stand-ins); they measure collar’s cost around the model, and their "translations" are the stand-in’s script, not English',
      );
    } finally {
      await standIn.dispose();
    }
  }

  return {
    bench: 'mt',
    title: 'Mandarin → child-directed English: phrasebook, tokenizer, MT per sentence, safety filter',
    head: ['part', 'case', 'p50', 'p99', 'output'],
    rows,
    targets,
    figures,
    notes: [
      `median and p99 over ${repeats} pass(es); MT cache off, each timed sentence decoded afresh`,
      `phrasebook threshold: ${measurement.positives} ASR-style perturbed variants (FR) and ${measurement.negativePairs} unrelated pairs (FA)`,
      ...notes,
    ],
  };
}
