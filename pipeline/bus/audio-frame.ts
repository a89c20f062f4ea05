/**
 * The one frame type that moves through the pipeline (DESIGN.md principle 1).
 * Time is counted in samples (`ptsSamples`), never wall clock, so the same code
 * runs in real time on the device and faster than real time in tests and the bench.
 */

export type SampleArray = Int16Array | Float32Array;

export interface AudioFrame<T extends SampleArray = SampleArray> {
  /** Interleaved samples; inside the pipeline this is mono at 16 kHz. */
  samples: T;
  sampleRate: number;
  channels: number;
  /** Position of this frame in its stream, counted from 0. */
  seq: number;
  /** Presentation time of the first sample, in samples since the stream started. */
  ptsSamples: number;
  /** Set once an utterance is known, so stale output can be dropped by id (barge-in). */
  utteranceId?: string;
}

/** The pipeline's internal format; device edges resample to and from it. */
export const PIPELINE_SAMPLE_RATE = 16_000;
export const PIPELINE_CHANNELS = 1;
/** Frame sizes the pipeline accepts (DESIGN.md: fixed frames of 10 ms or 20 ms). */
export const FRAME_DURATIONS_MS = [10, 20] as const;
export type FrameDurationMs = (typeof FRAME_DURATIONS_MS)[number];

export function frameLengthSamples(
  frameMs: FrameDurationMs,
  sampleRate = PIPELINE_SAMPLE_RATE,
  channels = PIPELINE_CHANNELS,
): number {
  return Math.round((sampleRate * frameMs) / 1000) * channels;
}

export function samplesToMs(samples: number, sampleRate = PIPELINE_SAMPLE_RATE): number {
  return (samples * 1000) / sampleRate;
}

export function msToSamples(ms: number, sampleRate = PIPELINE_SAMPLE_RATE): number {
  return Math.round((ms * sampleRate) / 1000);
}

/**
 * Keeps seq and pts for one stream. Reuses nothing itself; callers own the sample buffers
 * (a stage that emits into a preallocated pool passes its own array in).
 */
export class FrameClock {
  private nextSeq = 0;
  private nextPtsSamples = 0;

  constructor(
    readonly sampleRate = PIPELINE_SAMPLE_RATE,
    readonly channels = PIPELINE_CHANNELS,
  ) {}

  stamp<T extends SampleArray>(samples: T, utteranceId?: string): AudioFrame<T> {
    const frame: AudioFrame<T> = {
      samples,
      sampleRate: this.sampleRate,
      channels: this.channels,
      seq: this.nextSeq,
      ptsSamples: this.nextPtsSamples,
    };
    if (utteranceId !== undefined) frame.utteranceId = utteranceId;
    this.nextSeq += 1;
    this.nextPtsSamples += samples.length / this.channels;
    return frame;
  }

  reset(): void {
    this.nextSeq = 0;
    this.nextPtsSamples = 0;
  }
}
