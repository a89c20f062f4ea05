/**
 * `collar bench frontend`: the speech front end on real recordings from ../shared.
 * - Enhancement: SI-SDR of each DNS-Challenge noisy/clean pair before and after each
 *   installed denoise engine, and its real-time factor per 16 kHz stream.
 * - VAD cost: Silero milliseconds per 32 ms window.
 * - Endpointing: each Mandarin clip padded with silence, CC0 noise mixed in at 5 dB SNR;
 *   every utterance must be found once, its start within 100 ms, its end within 400 ms.
 * Targets: GTCRN mean SI-SDR gain ≥ 3 dB; denoise RTF ≤ 0.15; VAD ≤ 1 ms per window.
 */
import { readPipelineWav } from '../../device/audio/read-pipeline-wav.js';
import { denoiseSignal } from '../../pipeline/engines/denoise/block-denoiser.js';
import type { DenoiseEngine, DenoiseEngineName } from '../../pipeline/engines/denoise/denoise-engine.js';
import { loadDenoiseEngine } from '../../pipeline/engines/denoise/load-denoise-engine.js';
import { VAD_WINDOW_SAMPLES } from '../../pipeline/engines/vad/silero-vad.js';
import { percentile } from '../../pipeline/metrics/percentile.js';
import { siSdrDb } from '../../pipeline/metrics/si-sdr.js';
import { ModelNotInstalledError, openModelStore } from '../../pipeline/models/index.js';
import { detectSpeechSegments, SpeechDetector } from '../../pipeline/stages/vad/speech-detector.js';
import { loadSileroVad } from '../../pipeline/stages/vad/vad-stage.js';
import type { BenchReport, BenchTarget } from '../harness/report.js';
import { round } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import { loadCc0Noise16k } from './clip-in-noise.js';
import { scoreEndpoints } from './endpoint-evaluation.js';
import { buildNoisyScenario } from './noisy-scenario.js';
import { dnsPairs, firstMissing, mandarinClips, SHARED_PATHS } from './shared-data.js';
import { speechUtterances } from './speech-truth.js';

const ENGINES: DenoiseEngineName[] = ['gtcrn', 'rnnoise'];
const TARGET_SI_SDR_GAIN_DB = 3;
const TARGET_RTF = 0.15;
const TARGET_VAD_MS = 1;
const TARGET_START_MS = 100;
const TARGET_END_MS = 400;
const SNR_DB = 5;
const PAD_BEFORE_SAMPLES = 24_000;
const PAD_AFTER_SAMPLES = 32_000;

type Row = Array<string | number>;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
const signed = (value: number, unit: string, digits = 0) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)} ${unit}`;

async function benchEnhancement(
  rows: Row[],
  targets: BenchTarget[],
  figures: Record<string, unknown>,
  repeats: number,
) {
  const store = openModelStore();
  const pairs = await Promise.all(
    dnsPairs().map(async (pair) => ({
      id: pair.id,
      clean: (await readPipelineWav(pair.cleanPath)).samples,
      noisy: (await readPipelineWav(pair.noisyPath)).samples,
    })),
  );
  for (const name of ENGINES) {
    let engine: DenoiseEngine;
    try {
      engine = await loadDenoiseEngine(name, store);
    } catch (error) {
      if (!(error instanceof ModelNotInstalledError)) throw error;
      rows.push(['denoise', name, 'not installed', error.message]);
      if (name === 'gtcrn') {
        targets.push({
          name: 'GTCRN SI-SDR gain',
          required: `>= ${TARGET_SI_SDR_GAIN_DB} dB`,
          measured: 'not installed',
          met: false,
        });
      }
      continue;
    }
    const gains: number[] = [];
    const rtfs: number[] = [];
    for (const { id, clean, noisy } of pairs) {
      let denoised = noisy;
      for (let repeat = 0; repeat < repeats; repeat++) {
        engine.reset();
        const startedMs = performance.now();
        denoised = await denoiseSignal(engine, noisy);
        rtfs.push((performance.now() - startedMs) / ((noisy.length / 16_000) * 1_000));
      }
      const before = siSdrDb(clean, noisy);
      const after = siSdrDb(clean, denoised);
      gains.push(after - before);
      rows.push([
        'SI-SDR',
        `${id} ${name}`,
        signed(after - before, 'dB', 2),
        `noisy ${before.toFixed(2)} → ${after.toFixed(2)} dB`,
      ]);
    }
    await engine.close();
    const meanGainDb = gains.reduce((sum, gain) => sum + gain, 0) / gains.length;
    const medianRtf = median(rtfs);
    rows.push(['SI-SDR', `${name} mean`, signed(meanGainDb, 'dB', 2), `${gains.length} DNS pairs`]);
    rows.push(['RTF', name, medianRtf.toFixed(3), `median of ${rtfs.length} runs, one 16 kHz stream, 1 thread`]);
    figures[`${name}SiSdrGainDb`] = round(meanGainDb, 2);
    figures[`${name}SiSdrGainsDb`] = gains.map((gain) => round(gain, 2));
    figures[`${name}Rtf`] = round(medianRtf, 4);
    if (name === 'gtcrn') {
      targets.push({
        name: 'GTCRN SI-SDR gain',
        required: `>= ${TARGET_SI_SDR_GAIN_DB} dB`,
        measured: `${meanGainDb.toFixed(2)} dB`,
        met: meanGainDb >= TARGET_SI_SDR_GAIN_DB,
      });
    }
    targets.push({
      name: `${name} RTF`,
      required: `<= ${TARGET_RTF}`,
      measured: medianRtf.toFixed(3),
      met: medianRtf <= TARGET_RTF,
    });
  }
}

async function benchVad(rows: Row[], targets: BenchTarget[], figures: Record<string, unknown>) {
  const store = openModelStore();
  const noise = await loadCc0Noise16k();
  for (const model of ['v6', 'v5'] as const) {
    const vad = await loadSileroVad(model, store);
    const windowMs: number[] = [];
    const startErrors: number[] = [];
    const endErrors: number[] = [];
    const decisionDelays: number[] = [];
    let problems = 0;
    for (const clipPath of mandarinClips()) {
      const clean = (await readPipelineWav(clipPath)).samples;
      const truth = speechUtterances(clean);
      const scenario = buildNoisyScenario(clean, truth, noise, {
        padBeforeSamples: PAD_BEFORE_SAMPLES,
        padAfterSamples: PAD_AFTER_SAMPLES,
        snrDb: SNR_DB,
      });
      // Per-window cost, timed on the model alone.
      vad.reset();
      for (let start = 0; start + VAD_WINDOW_SAMPLES <= scenario.samples.length; start += VAD_WINDOW_SAMPLES) {
        const startedMs = performance.now();
        await vad.probabilityOf(scenario.samples.subarray(start, start + VAD_WINDOW_SAMPLES));
        windowMs.push(performance.now() - startedMs);
      }
      vad.reset();
      const segments = await detectSpeechSegments(new SpeechDetector(vad), scenario.samples);
      const score = scoreEndpoints(scenario.truth, segments);
      const clip = clipPath.split('/').at(-1) ?? clipPath;
      for (const utterance of score.utterances) {
        const at = `${clip} @${(utterance.truth.startSample / 16_000).toFixed(2)}s`;
        if (utterance.detections !== 1 || utterance.startErrorMs === undefined) {
          problems += 1;
          rows.push([`endpoint ${model}`, at, `detected ${utterance.detections}×`, 'expected exactly once']);
          continue;
        }
        const { startErrorMs, endErrorMs = 0, decisionDelayMs = 0 } = utterance;
        startErrors.push(Math.abs(startErrorMs));
        endErrors.push(Math.abs(endErrorMs));
        decisionDelays.push(decisionDelayMs);
        rows.push([
          `endpoint ${model}`,
          at,
          'detected once',
          `start ${signed(startErrorMs, 'ms')}, end ${signed(endErrorMs, 'ms')}, end decided ${signed(decisionDelayMs, 'ms')}`,
        ]);
      }
      if (score.falseDetections > 0) {
        problems += score.falseDetections;
        rows.push([`endpoint ${model}`, clip, `${score.falseDetections} false`, 'segments outside any utterance']);
      }
    }
    await vad.close();
    const sorted = [...windowMs].sort((a, b) => a - b);
    const windowP50 = percentile(sorted, 0.5);
    const windowP99 = percentile(sorted, 0.99);
    const maxStart = Math.max(...startErrors);
    const maxEnd = Math.max(...endErrors);
    rows.push([
      `VAD ${model}`,
      'ms per 32 ms window',
      windowP50.toFixed(3),
      `p99 ${windowP99.toFixed(3)} ms over ${sorted.length} windows`,
    ]);
    figures[`vad${model}WindowMsP50`] = round(windowP50, 4);
    figures[`vad${model}WindowMsP99`] = round(windowP99, 4);
    figures[`endpoint${model}`] = {
      utterances: startErrors.length + problems,
      problems,
      maxStartErrorMs: round(maxStart, 0),
      maxEndErrorMs: round(maxEnd, 0),
      medianDecisionDelayMs: round(median(decisionDelays), 0),
      maxDecisionDelayMs: round(Math.max(...decisionDelays), 0),
    };
    if (model === 'v6') {
      targets.push(
        {
          name: 'VAD per window (v6)',
          required: `<= ${TARGET_VAD_MS} ms`,
          measured: `${windowP50.toFixed(3)} ms`,
          met: windowP50 <= TARGET_VAD_MS,
        },
        {
          name: 'each utterance once (v6)',
          required: '0 misses, splits or false',
          measured: `${problems}`,
          met: problems === 0,
        },
        {
          name: 'start error (v6)',
          required: `<= ${TARGET_START_MS} ms`,
          measured: `${maxStart.toFixed(0)} ms max`,
          met: maxStart <= TARGET_START_MS,
        },
        {
          name: 'end error (v6)',
          required: `<= ${TARGET_END_MS} ms`,
          measured: `${maxEnd.toFixed(0)} ms max`,
          met: maxEnd <= TARGET_END_MS,
        },
      );
    }
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const missing = firstMissing([SHARED_PATHS.noiseDir, SHARED_PATHS.mandarinDir, SHARED_PATHS.cc0Noise]);
  if (missing) {
    throw new Error(
      `bench frontend needs the real recordings in ../shared: ${missing} is missing (or set COLLAR_SHARED_DIR)`,
    );
  }
  const rows: Row[] = [];
  const targets: BenchTarget[] = [];
  const figures: Record<string, unknown> = {};
  await benchEnhancement(rows, targets, figures, Math.max(1, Math.round(3 * options.scale)));
  await benchVad(rows, targets, figures);
  return {
    bench: 'frontend',
    title: 'noise suppression, VAD and endpointing on real recordings',
    head: ['measure', 'subject', 'value', 'detail'],
    rows,
    targets,
    figures,
    notes: [
      `endpointing: Mandarin clips padded ${PAD_BEFORE_SAMPLES / 16} ms before / ${PAD_AFTER_SAMPLES / 16} ms after, CC0 noise at ${SNR_DB} dB SNR; truth from the clean clip (bench/frontend/speech-truth.ts)`,
      'end error = reported end position − true end; "end decided" = when the decision was made (trailing silence 300 ms + VAD hangover)',
      'endpointer defaults: threshold 0.5/0.35, pre-roll 200 ms, min speech 250 ms, trailing silence 300 ms, max utterance 15 s',
    ],
  };
}
