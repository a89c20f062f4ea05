/**
 * `collar bench asr`: for each recogniser installed in the model store, the real-time
 * factor and the time from endpoint to final text for 2, 5 and 10 s utterances of real
 * Mandarin, fed in 20 ms frames with partials every 400 ms as the live pipeline feeds it;
 * and the character error rate on the transcribed recordings. Engines that are not
 * installed are listed with the command that installs them.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AsrEngine, AsrHypothesis } from '../../pipeline/engines/asr/asr-engine.js';
import { ASR_ENGINES, type AsrEngineName, loadAsrEngine } from '../../pipeline/engines/asr/load-asr-engine.js';
import { ParaformerEngine } from '../../pipeline/engines/asr/paraformer-engine.js';
import { SenseVoiceEngine } from '../../pipeline/engines/asr/sense-voice-engine.js';
import { WhisperEngine } from '../../pipeline/engines/asr/whisper/whisper-engine.js';
import { createRootLogger } from '../../pipeline/logging/logger.js';
import { ModelNotInstalledError, openModelStore } from '../../pipeline/models/index.js';
import { mandarinClips, SHARED_PATHS } from '../frontend/shared-data.js';
import type { BenchReport, BenchTarget } from '../harness/report.js';
import { percentileOf, round } from '../harness/report.js';
import type { BenchOptions } from '../registry.js';
import { writeParaformerStandIn, writeSenseVoiceStandIn } from '../stand-ins/asr-stand-ins.js';
import { writeWhisperStandIn } from '../stand-ins/whisper-stand-ins.js';
import { characterErrorRate } from './character-error-rate.js';
import { SAMPLE_RATE_HZ, transcribedClips, utteranceOfLength } from './utterances.js';

const UTTERANCE_SECONDS = [2, 5, 10] as const;
const FRAME_SAMPLES = 320;
const PARTIAL_INTERVAL_MS = 400;
/** Endpoint to final text for a 5 s utterance (DESIGN.md's budget leaves ASR ~300 ms). */
const TARGET_FINAL_MS = 300;

type Row = Array<string | number>;

export interface AsrSubject {
  label: string;
  engine: AsrEngine;
}

interface UtteranceTiming {
  /** Wall time of feeding the utterance (front end + every partial decode), per second of audio. */
  feedMsPerAudioS: number;
  endpointToFinalMs: number;
  partialCount: number;
  finalDecodeMs: number;
}

/** Feed an utterance as the VAD would, then time the endpoint → final text step. */
async function timeUtterance(engine: AsrEngine, samples: Float32Array): Promise<UtteranceTiming> {
  let partialCount = 0;
  const stream = engine.createStream({ partialIntervalMs: PARTIAL_INTERVAL_MS, onPartial: () => partialCount++ });
  const feedStart = performance.now();
  for (let start = 0; start < samples.length; start += FRAME_SAMPLES) {
    stream.accept(samples.subarray(start, start + FRAME_SAMPLES));
    await stream.idle();
  }
  const endpointAt = performance.now();
  const final: AsrHypothesis = await stream.finish();
  return {
    feedMsPerAudioS: (endpointAt - feedStart) / (samples.length / SAMPLE_RATE_HZ),
    endpointToFinalMs: performance.now() - endpointAt,
    partialCount,
    finalDecodeMs: final.decodeMs,
  };
}

export async function measureSubject(
  subject: AsrSubject,
  repeats: number,
  rows: Row[],
  figures: Record<string, unknown>,
  targets: BenchTarget[],
  withCer: boolean,
): Promise<void> {
  const perLength: Record<string, unknown> = {};
  for (const seconds of UTTERANCE_SECONDS) {
    const samples = await utteranceOfLength(seconds);
    await timeUtterance(subject.engine, samples.subarray(0, SAMPLE_RATE_HZ)); // warm-up
    const timings: UtteranceTiming[] = [];
    for (let r = 0; r < repeats; r++) timings.push(await timeUtterance(subject.engine, samples));
    const finalMs = percentileOf(
      timings.map((t) => t.endpointToFinalMs),
      0.5,
    );
    const rtf = percentileOf(
      timings.map((t) => t.finalDecodeMs / 1000 / seconds),
      0.5,
    );
    const feedMs = percentileOf(
      timings.map((t) => t.feedMsPerAudioS),
      0.5,
    );
    const partials = timings[0]?.partialCount ?? 0;
    rows.push([
      subject.label,
      `${seconds} s`,
      rtf.toPrecision(3),
      `${finalMs.toPrecision(3)} ms`,
      partials,
      `${feedMs.toPrecision(3)} ms`,
    ]);
    perLength[`${seconds}s`] = {
      rtf: Number(rtf.toPrecision(3)),
      endpointToFinalMsP50: Number(finalMs.toPrecision(3)),
      partials,
      feedMsPerAudioSecondP50: Number(feedMs.toPrecision(3)),
    };
    if (seconds === 5) {
      targets.push({
        name: `${subject.label}: endpoint → final, 5 s`,
        required: `<= ${TARGET_FINAL_MS} ms`,
        measured: `${round(finalMs, 1)} ms`,
        met: finalMs <= TARGET_FINAL_MS,
      });
    }
  }
  const entry: Record<string, unknown> = { utterances: perLength };
  if (withCer) {
    const cers: Record<string, unknown> = {};
    for (const clip of await transcribedClips()) {
      const result = await subject.engine.transcribe(clip.samples);
      const cer = characterErrorRate(result.text, clip.reference);
      cers[clip.file] = { cer: round(cer, 3), text: result.text, reference: clip.reference };
      rows.push([subject.label, clip.file, `CER ${round(cer * 100, 1)} %`, result.text, '', '']);
    }
    entry.cer = cers;
  }
  figures[subject.label] = entry;
}

const STAND_IN_LOADERS: Record<AsrEngineName, (dir: string) => Promise<AsrEngine>> = {
  'sense-voice': (dir) => SenseVoiceEngine.load(writeSenseVoiceStandIn(dir)),
  paraformer: (dir) => ParaformerEngine.load(writeParaformerStandIn(dir)),
  whisper: (dir) => WhisperEngine.load(writeWhisperStandIn(dir)),
};

/**
 * An engine that is not installed is still measured on its stand-in graph (the real
 * signature and metadata, made-up weights), labelled as such: the figures are collar's
 * own cost around the model (front end, LFR/CMVN, ONNX call, search), not the model's.
 */
async function measureStandIn(name: AsrEngineName, repeats: number, rows: Row[], figures: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'collar-bench-asr-'));
  try {
    const engine = await STAND_IN_LOADERS[name](dir);
    try {
      await measureSubject({ label: `${name} STAND-IN`, engine }, repeats, rows, figures, [], false);
    } finally {
      await engine.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  if (mandarinClips().length === 0) {
    throw new Error(
      `bench asr needs the Mandarin recordings in ${SHARED_PATHS.mandarinDir} (or set COLLAR_SHARED_DIR)`,
    );
  }
  const logger = createRootLogger({ level: 'warn' });
  const store = openModelStore({ logger });
  const repeats = Math.max(1, Math.round(5 * options.scale));
  const rows: Row[] = [];
  const targets: BenchTarget[] = [];
  const figures: Record<string, unknown> = {};
  const notInstalled: string[] = [];
  for (const name of ASR_ENGINES) {
    let engine: AsrEngine;
    try {
      engine = await loadAsrEngine(name, store, { logger });
    } catch (error) {
      if (!(error instanceof ModelNotInstalledError)) throw error;
      notInstalled.push(`${name}: ${error.message}`);
      rows.push([name, '—', '—', 'not installed', '—', '—']);
      await measureStandIn(name, repeats, rows, figures);
      continue;
    }
    try {
      await measureSubject({ label: name, engine }, repeats, rows, figures, targets, true);
    } finally {
      await engine.dispose();
    }
  }
  figures.notInstalled = notInstalled;
  return {
    bench: 'asr',
    title: 'recognition speed (real-time factor, endpoint → final text) and accuracy on real Mandarin',
    head: ['engine', 'utterance', 'RTF (final decode)', 'endpoint → final (p50)', 'partials', 'feed cost / s audio'],
    rows,
    targets,
    figures,
    notes: [
      `utterances cut from ${SHARED_PATHS.mandarinDir}, fed in 20 ms frames with a partial every ${PARTIAL_INTERVAL_MS} ms; median of ${repeats} runs after a warm-up`,
      'RTF = final decode time / utterance length; feed cost = wall time spent taking the audio in (front end + partial decodes) per second of audio; CER on the transcribed clips (punctuation and spacing ignored)',
      ...notInstalled,
      ...(notInstalled.length > 0
        ? [
            'STAND-IN rows: the engine on a graph with the real signature and metadata but made-up weights (bench/stand-ins); they measure collar’s front end and decode path around the model, not the model',
          ]
        : []),
    ],
  };
}
