/**
 * `collar bench aec`: the echo canceller on simulated mask acoustics (bench/aec/aec-scenario.ts
 * has the definitions). Per echo path: ERLE of the linear filter and of the full canceller
 * (filter + residual echo suppressor) with the far end alone, convergence time, near-end
 * SI-SDR while the wearer talks over the English and ERLE after it, the delay estimate's
 * error, and the cost per 10 ms frame with its real-time factor. One echo path change
 * (a 30 ms delay jump) for re-convergence. `scale` scales every duration.
 */
import { EchoCanceller } from '../../pipeline/dsp/aec/echo-canceller.js';
import type { BenchReport, BenchTarget } from '../harness/report.js';
import { percentileOf, round } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import {
  analyseErle,
  buildEchoScenario,
  type CancellerRun,
  echoPath,
  loadSpeech,
  MIC_NOISE_DBFS,
  nearEndSiSdrDb,
  PATH_NAMES,
  runCanceller,
  SAMPLE_RATE_HZ,
  TARGET_CONVERGENCE_SECONDS,
  TARGET_ERLE_DB,
  WEARER_ACTIVE_DBFS,
} from './aec-scenario.js';

const TARGET_LATENCY_MS = 20;
const FRAME_SAMPLES = 160;

type Row = Array<string | number>;

function costFigures(run: CancellerRun) {
  // The first second holds V8's warm-up and the first delay alignment; the steady state is what a device pays.
  const steady = run.frames.slice(Math.round(SAMPLE_RATE_HZ / FRAME_SAMPLES)).map((frame) => frame.micros);
  const totalMicros = steady.reduce((sum, value) => sum + value, 0);
  return {
    medianMicros: percentileOf(steady, 0.5),
    p99Micros: percentileOf(steady, 0.99),
    rtf: totalMicros / 1e6 / ((steady.length * FRAME_SAMPLES) / SAMPLE_RATE_HZ),
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const farSeconds = Math.max(4, 12 * options.scale);
  const doubleTalk = { startS: 4, endS: 4 + Math.max(2, 5 * options.scale) };
  const dtSeconds = doubleTalk.endS + Math.max(3, 5 * options.scale);
  const changeS = 4;
  const changeSeconds = changeS + Math.max(4, 8 * options.scale);
  const speech = await loadSpeech(Math.max(farSeconds, dtSeconds, changeSeconds) + 1);

  // Warm the JIT on a throw-away run so the timed runs measure steady-state code.
  runCanceller(buildEchoScenario({ path: echoPath('near-dry'), seconds: 3, speech }), { frameSamples: FRAME_SAMPLES });

  const rows: Row[] = [];
  const targets: BenchTarget[] = [];
  const figures: Record<string, unknown> = {};
  for (const name of PATH_NAMES) {
    const path = echoPath(name);
    const far = buildEchoScenario({ path, seconds: farSeconds, speech });
    const linear = runCanceller(far, { frameSamples: FRAME_SAMPLES, residualSuppression: false });
    const full = runCanceller(far, { frameSamples: FRAME_SAMPLES });
    const linearErle = analyseErle(far, linear.output, { fromS: 0, toS: farSeconds });
    const fullErle = analyseErle(far, full.output, { fromS: 0, toS: farSeconds });
    const finalDelay = full.frames.at(-1)?.report.bulkDelaySamples ?? Number.NaN;
    const delayErrorMs = ((finalDelay - (path.delayMs * SAMPLE_RATE_HZ) / 1000) * 1000) / SAMPLE_RATE_HZ;
    const cost = costFigures(full);

    const dt = buildEchoScenario({ path, seconds: dtSeconds, speech, nearEnd: doubleTalk });
    const dtLinear = runCanceller(dt, { frameSamples: FRAME_SAMPLES, residualSuppression: false });
    const dtFull = runCanceller(dt, { frameSamples: FRAME_SAMPLES });
    const sdrMic = nearEndSiSdrDb(dt, dt.mic, doubleTalk.startS, doubleTalk.endS);
    const sdrLinear = nearEndSiSdrDb(dt, dtLinear.output, doubleTalk.startS, doubleTalk.endS);
    const sdrFull = nearEndSiSdrDb(dt, dtFull.output, doubleTalk.startS, doubleTalk.endS);
    const afterSpan = { fromS: doubleTalk.endS, toS: dtSeconds, settledFromS: doubleTalk.endS };
    const afterLinear = analyseErle(dt, dtLinear.output, afterSpan).erleDb;
    const afterFull = analyseErle(dt, dtFull.output, afterSpan).erleDb;

    rows.push([
      name,
      `${fmt(linearErle.erleDb)} / ${fmt(fullErle.erleDb)} dB`,
      `${fmt(linearErle.convergenceS, 2)} / ${fmt(fullErle.convergenceS, 2)} s`,
      `${fmt(sdrLinear)} / ${fmt(sdrFull)} dB (mic ${fmt(sdrMic)})`,
      `${fmt(afterLinear)} / ${fmt(afterFull)} dB`,
      `${fmt(delayErrorMs, 3)} ms`,
      `${cost.medianMicros.toFixed(0)} µs (p99 ${cost.p99Micros.toFixed(0)})`,
      cost.rtf.toFixed(4),
    ]);
    figures[name] = {
      erleLinearDb: round(linearErle.erleDb),
      erleWithResDb: round(fullErle.erleDb),
      convergenceLinearS: round(linearErle.convergenceS),
      convergenceWithResS: round(fullErle.convergenceS),
      doubleTalkSiSdrMicDb: round(sdrMic),
      doubleTalkSiSdrLinearDb: round(sdrLinear),
      doubleTalkSiSdrWithResDb: round(sdrFull),
      erleAfterDoubleTalkLinearDb: round(afterLinear),
      erleAfterDoubleTalkWithResDb: round(afterFull),
      delayEstimateSamples: finalDelay,
      delayErrorMs: round(delayErrorMs, 3),
      costMedianMicrosPerFrame: round(cost.medianMicros, 1),
      costP99MicrosPerFrame: round(cost.p99Micros, 1),
      realTimeFactor: round(cost.rtf, 5),
    };
    targets.push(
      {
        name: `${name}: ERLE, filter + RES`,
        required: `>= ${TARGET_ERLE_DB} dB`,
        measured: `${fmt(fullErle.erleDb)} dB`,
        met: fullErle.erleDb >= TARGET_ERLE_DB,
      },
      {
        name: `${name}: ERLE, linear filter alone`,
        required: `>= ${TARGET_ERLE_DB} dB`,
        measured: `${fmt(linearErle.erleDb)} dB`,
        met: linearErle.erleDb >= TARGET_ERLE_DB,
      },
      {
        name: `${name}: convergence, filter + RES`,
        required: `<= ${TARGET_CONVERGENCE_SECONDS} s`,
        measured: `${fmt(fullErle.convergenceS, 2)} s`,
        met: fullErle.convergenceS <= TARGET_CONVERGENCE_SECONDS,
      },
    );
  }

  // An echo path change: the delay jumps by 30 ms (an audio I/O hiccup) at `changeS`.
  const before = echoPath('mask-cavity');
  const after = { ...before, delayMs: before.delayMs + 30 };
  const change = buildEchoScenario({
    path: before,
    seconds: changeSeconds,
    speech,
    pathChange: { atS: changeS, path: after },
  });
  const changeRun = runCanceller(change, { frameSamples: FRAME_SAMPLES });
  const changeLinear = runCanceller(change, { frameSamples: FRAME_SAMPLES, residualSuppression: false });
  const reconvergence = analyseErle(change, changeRun.output, { fromS: changeS, toS: changeSeconds });
  const reconvergenceLinear = analyseErle(change, changeLinear.output, { fromS: changeS, toS: changeSeconds });
  const followed = changeRun.frames.findIndex(
    (frame, index) =>
      index * FRAME_SAMPLES >= changeS * SAMPLE_RATE_HZ &&
      Math.abs(frame.report.bulkDelaySamples - (after.delayMs * SAMPLE_RATE_HZ) / 1000) <= SAMPLE_RATE_HZ / 1000,
  );
  const followedAfterS = followed < 0 ? Number.NaN : (followed * FRAME_SAMPLES) / SAMPLE_RATE_HZ - changeS;
  rows.push([
    'mask-cavity, delay +30 ms',
    `${fmt(reconvergenceLinear.erleDb)} / ${fmt(reconvergence.erleDb)} dB`,
    `${fmt(reconvergenceLinear.convergenceS, 2)} / ${fmt(reconvergence.convergenceS, 2)} s after`,
    '—',
    '—',
    `new delay found ${fmt(followedAfterS, 2)} s after`,
    '—',
    '—',
  ]);
  figures.pathChange = {
    change: 'mask-cavity delay 21.7 → 51.7 ms',
    reconvergenceLinearS: round(reconvergenceLinear.convergenceS),
    reconvergenceWithResS: round(reconvergence.convergenceS),
    erleAfterLinearDb: round(reconvergenceLinear.erleDb),
    erleAfterWithResDb: round(reconvergence.erleDb),
    delayFollowedAfterS: round(followedAfterS),
  };

  const latency = {
    frame160Samples: new EchoCanceller({ frameSamples: 160 }).latencySamples,
    frame320Samples: new EchoCanceller({ frameSamples: 320 }).latencySamples,
  };
  const worstLatencyMs = (Math.max(latency.frame160Samples, latency.frame320Samples) * 1000) / SAMPLE_RATE_HZ;
  targets.push({
    name: 'added latency (10 and 20 ms frames)',
    required: `<= ${TARGET_LATENCY_MS} ms`,
    measured: `${latency.frame160Samples} / ${latency.frame320Samples} samples (${worstLatencyMs} ms worst)`,
    met: worstLatencyMs <= TARGET_LATENCY_MS,
  });
  figures.latency = latency;
  figures.sources = {
    english: speech.englishSource,
    wearer: speech.wearerSource,
    wearerSynthetic: speech.wearerSynthetic,
  };
  figures.durations = { farEndOnlyS: farSeconds, doubleTalk, doubleTalkRunS: dtSeconds, pathChangeRunS: changeSeconds };

  return {
    bench: 'aec',
    title: 'echo canceller on simulated mask acoustics (linear filter / filter + residual echo suppressor)',
    head: [
      'echo path',
      'ERLE far end only',
      'convergence',
      'near-end SI-SDR in double talk',
      'ERLE after double talk',
      'delay error',
      'cost per 10 ms frame',
      'RTF',
    ],
    rows,
    targets,
    figures,
    notes: [
      `far end: ${speech.englishSource} (real synthesis), −20 dBFS, through generated echo paths; mic noise pink at ${MIC_NOISE_DBFS} dBFS`,
      `near end: ${speech.wearerSynthetic ? 'SYNTHETIC speech' : 'real Mandarin recordings'} (${speech.wearerSource}) at ${WEARER_ACTIVE_DBFS} dBFS active level, over the English from ${doubleTalk.startS} to ${doubleTalk.endS} s`,
      'ERLE = 10·log10(Σ mic² / Σ out²) over 100 ms windows whose echo is ≥ 30 dB over the noise and that hold no near-end speech, from 1 s on (after the double talk: from its end)',
      'convergence = end of the last such window below 20 dB ERLE (every later one keeps ≥ 20 dB); cold start, bulk delay unknown',
      'near-end SI-SDR: output against the clean wearer speech over the double-talk span ("mic": the unprocessed microphone)',
      `cost: median and p99 wall time of process() per 10 ms frame after the first second, on a shared machine; RTF = processing time / audio time`,
    ],
  };
}
