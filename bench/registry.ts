/** Every benchmark `collar bench <name>` can run. Each module exports `runBench(options)`. */
import type { BenchReport } from './harness/report.js';

export interface BenchOptions {
  /** Scale factor for run length (1 = the documented default). */
  scale: number;
}

type BenchModule = { runBench(options: BenchOptions): Promise<BenchReport> };

export const BENCHES: Record<string, { description: string; load: () => Promise<BenchModule> }> = {
  bus: {
    description: 'ring buffer vs postMessage per frame between two threads: frames/s and hand-off latency',
    load: () => import('./bus/bus-bench.js'),
  },
  asr: {
    description: 'recogniser real-time factor, endpoint → final text for 2/5/10 s utterances, CER on real Mandarin',
    load: () => import('./asr/asr-bench.js'),
  },
  mt: {
    description:
      'MT ms per sentence (greedy, beam 2/4), phrasebook lookup and threshold, tokenizer and safety-filter cost',
    load: () => import('./mt/mt-bench.js'),
  },
  tts: {
    description: 'time to first audio and real-time factor per voice pack (12-word sentence)',
    load: () => import('./tts/tts-bench.js'),
  },
  aec: {
    description:
      'echo canceller on simulated mask acoustics: ERLE (linear / with RES), convergence, double-talk SI-SDR, delay error, cost per frame',
    load: () => import('./aec/aec-bench.js'),
  },
  frontend: {
    description: 'denoise SI-SDR gain and real-time factor, VAD cost, endpointing accuracy on real recordings',
    load: () => import('./frontend/frontend-bench.js'),
  },
};
