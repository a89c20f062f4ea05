/**
 * Keeps the speaker ring topped up, just in time. Each pump renders frames from the
 * speaker side (the playout's English through the mixer: masker, earcons, limiter) only
 * while the ring holds less than `leadFrames`, so little is ever queued where an
 * interrupt cannot reach it; every frame rendered also goes to the echo canceller's
 * reference ring, exactly as played.
 *
 * Barge-in (`interrupt`): the playout drops the utterance's queued English by id, and the
 * playback edge drops what sits in the ring and its converter, so the only English still
 * heard is what the device already holds (PortAudio: QUEUED_CHUNKS × 10 ms = 30 ms).
 */
import type { RingBuffer } from '../../pipeline/bus/ring-buffer.js';
import { fromFloatSamples } from '../../pipeline/dsp/sample-format.js';
import type { SpeechPlayout } from '../../pipeline/stages/speaker/speech-playout.js';
import type { OutputInterrupt, PlaybackEndpoint } from '../audio/endpoints.js';

/**
 * Renders the next speaker frame (English, masker, earcons, limiter) into `out`; returns
 * the utterance whose English is in it, if any.
 */
export interface SpeakerFrameSource {
  renderFrame(out: Float32Array): string | undefined;
}

export interface SpeakerFeedOptions {
  frameSamples: number;
  speakerRing: RingBuffer;
  /** Where the echo canceller reads what was played; optional (no canceller, no reference). */
  referenceRing?: RingBuffer;
  /**
   * One value per frame, pushed with each reference frame: 1 when the frame held English,
   * 0 when it held only the masker or silence. The feedback guard only guards English:
   * the masker is noise the recogniser cannot take for speech, and guarding it would
   * silence the very wearer it is masking.
   */
  englishFlagRing?: RingBuffer;
  /** Frames kept queued ahead of the device. */
  leadFrames?: number;
}

export interface BargeInReport extends OutputInterrupt {
  utteranceId: string | undefined;
  /** Frames of that utterance the playout dropped before they were rendered. */
  droppedFrames: number;
}

export class SpeakerFeed {
  private readonly frame: Float32Array;
  private readonly frameOut: Int16Array | Float32Array;
  private readonly referenceOut: Int16Array | Float32Array | undefined;
  private readonly leadSamples: number;
  private readonly flag = new Float32Array(1);
  renderedFrames = 0;
  /** The utterance in the last frame rendered: the only one whose English can sit in the ring. */
  private lastRenderedUtteranceId: string | undefined;

  constructor(
    private readonly options: SpeakerFeedOptions,
    private readonly source: SpeakerFrameSource,
  ) {
    const { frameSamples, speakerRing, referenceRing } = options;
    this.frame = new Float32Array(frameSamples);
    this.frameOut = speakerRing.kind === 'int16' ? new Int16Array(frameSamples) : new Float32Array(frameSamples);
    this.referenceOut = referenceRing
      ? referenceRing.kind === 'int16'
        ? new Int16Array(frameSamples)
        : new Float32Array(frameSamples)
      : undefined;
    this.leadSamples = (options.leadFrames ?? 1) * frameSamples;
  }

  /** Render frames until the ring holds `leadFrames`. Call it often (every few ms) from a timer. */
  pump(): number {
    const { speakerRing, referenceRing, frameSamples } = this.options;
    let rendered = 0;
    while (speakerRing.availableRead() < this.leadSamples && speakerRing.canPush(frameSamples)) {
      this.lastRenderedUtteranceId = this.source.renderFrame(this.frame);
      fromFloatSamples(this.frame, this.frameOut);
      speakerRing.push(this.frameOut, frameSamples);
      if (referenceRing && this.referenceOut) {
        // The flag first: the worker takes a flag for each reference frame it finds.
        this.flag[0] = this.lastRenderedUtteranceId === undefined ? 0 : 1;
        this.options.englishFlagRing?.push(this.flag);
        fromFloatSamples(this.frame, this.referenceOut);
        referenceRing.push(this.referenceOut, frameSamples);
      }
      rendered += 1;
    }
    this.renderedFrames += rendered;
    return rendered;
  }

  /** Barge-in: stop `utteranceId`'s English (every utterance's, without an id) now. */
  interrupt(playout: SpeechPlayout, playback: PlaybackEndpoint, utteranceId?: string): BargeInReport {
    const droppedFrames = playout.interrupt(utteranceId);
    // An utterance still waiting its turn has nothing at the edge: leave the edge alone.
    const audible = utteranceId === undefined || utteranceId === this.lastRenderedUtteranceId;
    const edge = audible ? playback.interruptOutput() : { droppedMs: 0, stillAudibleMs: 0 };
    return { utteranceId, droppedFrames, ...edge };
  }
}
