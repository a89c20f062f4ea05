/**
 * An injected clock that counts in samples (DESIGN.md principle 9, after pipecat's
 * BaseClock). The device runs on RealtimeClock; tests and the bench run the same code
 * faster than real time on AcceleratedClock or VirtualClock.
 */
import { PIPELINE_SAMPLE_RATE } from './audio-frame.js';

export interface Clock {
  readonly sampleRate: number;
  /** Samples elapsed since the clock started. */
  nowSamples(): number;
  /** Resolves once `nowSamples() >= targetSamples`; rejects with the signal's reason on abort. */
  sleepUntil(targetSamples: number, signal?: AbortSignal): Promise<void>;
}

function abortable(delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, delayMs),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall-clock time scaled by `speedFactor` (1 = real time). */
export class AcceleratedClock implements Clock {
  private readonly startMs = performance.now();

  constructor(
    readonly speedFactor: number,
    readonly sampleRate = PIPELINE_SAMPLE_RATE,
  ) {
    if (!(speedFactor > 0) || !Number.isFinite(speedFactor)) {
      throw new RangeError(`clock: speedFactor must be a finite number > 0, got ${speedFactor}`);
    }
  }

  nowSamples(): number {
    const elapsedMs = (performance.now() - this.startMs) * this.speedFactor;
    return Math.floor((elapsedMs * this.sampleRate) / 1000);
  }

  async sleepUntil(targetSamples: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const remainingSamples = targetSamples - this.nowSamples();
      if (remainingSamples <= 0) return;
      const wallMs = (remainingSamples * 1000) / this.sampleRate / this.speedFactor;
      await abortable(wallMs, signal);
    }
  }
}

export class RealtimeClock extends AcceleratedClock {
  constructor(sampleRate = PIPELINE_SAMPLE_RATE) {
    super(1, sampleRate);
  }
}

/**
 * Time that moves only when told: `sleepUntil` jumps straight to its target (as fast
 * as possible, for offline runs and the bench), and tests can `advance` explicitly.
 */
export class VirtualClock implements Clock {
  private currentSamples = 0;

  constructor(readonly sampleRate = PIPELINE_SAMPLE_RATE) {}

  nowSamples(): number {
    return this.currentSamples;
  }

  advance(samples: number): void {
    if (samples < 0) throw new RangeError(`clock: cannot advance by a negative count (${samples})`);
    this.currentSamples += samples;
  }

  async sleepUntil(targetSamples: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (targetSamples > this.currentSamples) this.currentSamples = targetSamples;
  }
}
