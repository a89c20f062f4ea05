/**
 * Silero VAD windows plus the endpointer, over a stream of chunks of any size. Counts
 * samples from the start of the stream so every event carries absolute positions.
 */
import { SampleFifo } from '../../dsp/sample-fifo.js';
import { type SileroVad, VAD_SAMPLE_RATE, VAD_WINDOW_SAMPLES } from '../../engines/vad/silero-vad.js';
import { type EndpointEvent, Endpointer, type EndpointerOptions } from './endpointer.js';

export interface SpeechSegment {
  utteranceId: string;
  startSample: number;
  endSample: number;
  decidedAtSample: number;
  reason: Extract<EndpointEvent, { type: 'speechEnd' }>['reason'];
}

export class SpeechDetector {
  readonly endpointer: Endpointer;
  private readonly pending: SampleFifo;
  private readonly window = new Float32Array(VAD_WINDOW_SAMPLES);
  /** Stream position of the next window's first sample. */
  private windowStartSample = 0;
  private acceptedSamples = 0;
  /** Time spent in the model, for the bench; cheap to keep. */
  inferenceMs = 0;
  windowCount = 0;

  constructor(
    private readonly vad: SileroVad,
    options: EndpointerOptions = {},
    maxChunkSamples = 4_096,
  ) {
    this.endpointer = new Endpointer({ ...options, sampleRate: VAD_SAMPLE_RATE });
    this.pending = new SampleFifo(maxChunkSamples + VAD_WINDOW_SAMPLES);
  }

  get positionSamples(): number {
    return this.acceptedSamples;
  }

  async accept(samples: Float32Array): Promise<EndpointEvent[]> {
    this.pending.push(samples);
    this.acceptedSamples += samples.length;
    const events: EndpointEvent[] = [];
    while (this.pending.lengthSamples >= VAD_WINDOW_SAMPLES) {
      this.pending.popInto(this.window);
      const started = performance.now();
      const probability = await this.vad.probabilityOf(this.window);
      this.inferenceMs += performance.now() - started;
      this.windowCount += 1;
      events.push(...this.endpointer.accept(probability, this.windowStartSample, VAD_WINDOW_SAMPLES));
      this.windowStartSample += VAD_WINDOW_SAMPLES;
    }
    return events;
  }

  /** End of stream: closes an open utterance. */
  finish(): EndpointEvent[] {
    return this.endpointer.finish(this.acceptedSamples);
  }

  reset(): void {
    this.vad.reset();
    this.endpointer.reset();
    this.pending.clear();
    this.windowStartSample = this.acceptedSamples;
  }
}

/** Run a whole 16 kHz signal through a detector and collect the finished segments. */
export async function detectSpeechSegments(detector: SpeechDetector, samples: Float32Array): Promise<SpeechSegment[]> {
  const segments: SpeechSegment[] = [];
  const collect = (events: EndpointEvent[]) => {
    for (const event of events) {
      if (event.type === 'speechEnd') {
        const { utteranceId, startSample, endSample, decidedAtSample, reason } = event;
        segments.push({ utteranceId, startSample, endSample, decidedAtSample, reason });
      }
    }
  };
  const chunkSamples = 4_096;
  for (let start = 0; start < samples.length; start += chunkSamples) {
    collect(await detector.accept(samples.subarray(start, Math.min(start + chunkSamples, samples.length))));
  }
  collect(detector.finish());
  return segments;
}
