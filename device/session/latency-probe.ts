/**
 * Pass-through latency from the sample counters at both edges: the audio that has entered
 * the mic ring but not yet left the speaker ring is the delay the software path adds.
 * Sampled on a timer, never per frame.
 */

import { samplesToMs } from '../../pipeline/bus/audio-frame.js';
import { percentile } from '../../pipeline/metrics/percentile.js';

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export class LatencyProbe {
  private readonly readingsMs: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly capturedSamples: () => number,
    private readonly playedSamples: () => number,
    private readonly maxReadings = 100_000,
  ) {}

  start(intervalMs = 50): void {
    this.timer = setInterval(() => this.read(), intervalMs);
    this.timer.unref();
  }

  read(): void {
    const inFlight = this.capturedSamples() - this.playedSamples();
    // Before the first frame has made the trip the figure is only start-up fill.
    if (this.playedSamples() === 0 || this.readingsMs.length >= this.maxReadings) return;
    this.readingsMs.push(samplesToMs(Math.max(0, inFlight)));
  }

  stop(): LatencySummary {
    clearInterval(this.timer);
    const sorted = [...this.readingsMs].sort((a, b) => a - b);
    return {
      samples: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      maxMs: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
    };
  }
}
