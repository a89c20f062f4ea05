/**
 * Synthesised speech into pipeline frames: each clause's audio is resampled from the
 * engine's rate to the pipeline's 16 kHz (libsamplerate, streaming), followed by the
 * clause's child-directed pause as silence, and cut into fixed int16 frames for the
 * speaker ring. Frames are tagged with the utterance they say, so a barge-in can drop
 * stale speech by id.
 */
import { PIPELINE_SAMPLE_RATE } from '../../bus/audio-frame.js';
import { StreamResampler } from '../../dsp/resampler.js';
import { floatToInt16 } from '../../dsp/sample-format.js';
import type { TtsChunk } from '../../engines/tts/clause-stream.js';

/** Resampler chunk: clauses are cut into pieces this long before conversion. */
const RESAMPLE_CHUNK_SAMPLES = 4096;
const DRAIN_SECONDS = 0.01;

export class SpeechFramer {
  private pending: Float32Array;
  private pendingLength = 0;

  /** Silence fed through the resampler after each clause: longer than its delay (~3 ms). */
  private readonly drain: Float32Array;

  private constructor(
    private readonly resampler: StreamResampler,
    readonly frameLengthSamples: number,
  ) {
    this.pending = new Float32Array(frameLengthSamples * 8);
    this.drain = new Float32Array(Math.ceil(resampler.inputRate * DRAIN_SECONDS));
  }

  static async create(engineRateHz: number, frameLengthSamples = 320): Promise<SpeechFramer> {
    const resampler = await StreamResampler.create(
      engineRateHz,
      PIPELINE_SAMPLE_RATE,
      RESAMPLE_CHUNK_SAMPLES,
      'medium',
    );
    return new SpeechFramer(resampler, frameLengthSamples);
  }

  /** The whole frames this clause (and its pause) completes. */
  push(chunk: TtsChunk): Int16Array[] {
    if (chunk.sampleRateHz !== this.resampler.inputRate) {
      throw new RangeError(
        `speech framer: chunk at ${chunk.sampleRateHz} Hz, framer made for ${this.resampler.inputRate} Hz`,
      );
    }
    for (let start = 0; start < chunk.samples.length; start += RESAMPLE_CHUNK_SAMPLES) {
      this.append(this.resampler.process(chunk.samples.subarray(start, start + RESAMPLE_CHUNK_SAMPLES)));
    }
    // The resampler holds back a few milliseconds; push silence through so the clause's
    // end comes out before its pause rather than after it. That silence counts as pause.
    const before = this.pendingLength;
    this.append(this.resampler.process(this.drain));
    const drained = this.pendingLength - before;
    const pauseSamples = Math.round((chunk.pauseAfterMs * PIPELINE_SAMPLE_RATE) / 1000);
    this.append(new Float32Array(Math.max(0, pauseSamples - drained)));
    return this.takeFrames();
  }

  /** The rest, padded with silence to a whole frame. */
  flush(): Int16Array[] {
    const remainder = this.pendingLength % this.frameLengthSamples;
    if (remainder > 0) this.append(new Float32Array(this.frameLengthSamples - remainder));
    return this.takeFrames();
  }

  destroy(): void {
    this.resampler.destroy();
  }

  private append(samples: Float32Array): void {
    if (this.pendingLength + samples.length > this.pending.length) {
      const grown = new Float32Array(Math.max(this.pending.length * 2, this.pendingLength + samples.length));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(samples, this.pendingLength);
    this.pendingLength += samples.length;
  }

  private takeFrames(): Int16Array[] {
    const frames: Int16Array[] = [];
    const n = this.frameLengthSamples;
    let offset = 0;
    while (this.pendingLength - offset >= n) {
      const frame = new Int16Array(n);
      floatToInt16(this.pending.subarray(offset, offset + n), frame);
      frames.push(frame);
      offset += n;
    }
    this.pending.copyWithin(0, offset, this.pendingLength);
    this.pendingLength -= offset;
    return frames;
  }
}
