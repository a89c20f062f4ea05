/**
 * The most recent frames, copied into slots allocated once, so that when the endpointer
 * confirms a start (minSpeechMs after it began) the stage can still hand on the audio
 * from the pre-roll onwards. Bounded: the oldest frame is overwritten.
 */
import type { AudioFrame } from '../../bus/audio-frame.js';

export class FrameHistory {
  private readonly slots: AudioFrame<Float32Array>[] = [];
  private next = 0;
  private count = 0;

  constructor(readonly capacityFrames: number) {}

  remember(frame: AudioFrame, samples: Float32Array): void {
    let slot = this.slots[this.next];
    if (!slot || slot.samples.length !== samples.length) {
      slot = { ...frame, samples: new Float32Array(samples.length) };
      this.slots[this.next] = slot;
    }
    slot.samples.set(samples);
    slot.seq = frame.seq;
    slot.ptsSamples = frame.ptsSamples;
    slot.sampleRate = frame.sampleRate;
    slot.channels = frame.channels;
    this.next = (this.next + 1) % this.capacityFrames;
    this.count = Math.min(this.count + 1, this.capacityFrames);
  }

  /** Remembered frames that end after `fromSample`, oldest first. */
  since(fromSample: number): AudioFrame<Float32Array>[] {
    const frames: AudioFrame<Float32Array>[] = [];
    for (let i = this.count; i > 0; i--) {
      const slot = this.slots[(this.next - i + this.capacityFrames) % this.capacityFrames] as AudioFrame<Float32Array>;
      if (slot.ptsSamples + slot.samples.length > fromSample) frames.push(slot);
    }
    return frames;
  }

  clear(): void {
    this.count = 0;
  }
}
