/**
 * The English waiting to be played, by utterance. Synthesis pushes frames tagged with
 * their utterance id; the speaker side pulls one frame per tick. Barge-in is the
 * reason this exists (DESIGN.md principle 5, after agents-js `SpeechHandle`):
 *
 * - `interrupt(id)` drops everything queued for that utterance at once and marks the id
 *   stale, so frames that synthesis was still producing for it are dropped when they
 *   arrive (counted, never played). The next `pullFrame` already returns silence, so
 *   output stops within the frames already handed to the device.
 * - Utterances play one after another in the order they were opened (the `queue`
 *   barge-in policy relies on that: the new utterance's English waits its turn).
 *
 * Bounded: at most `maxQueuedMs` of audio is held in total; a push beyond that is
 * refused and counted (synthesis runs faster than real time, so the producer is told
 * to wait via `spaceMs()` rather than the buffer growing).
 */

export interface PlayoutOptions {
  frameSamples: number;
  sampleRateHz?: number;
  /** The most audio held across all utterances. */
  maxQueuedMs?: number;
  /** How many finished or interrupted ids to remember as stale. */
  staleIdMemory?: number;
}

export interface PlayoutEvents {
  /** The last frame of an ended utterance was pulled. */
  onUtteranceDone?: (utteranceId: string) => void;
  /** An utterance's first frame was pulled. */
  onUtteranceStart?: (utteranceId: string) => void;
}

interface QueuedUtterance {
  id: string;
  frames: Float32Array[];
  ended: boolean;
  started: boolean;
}

export class SpeechPlayout {
  readonly frameSamples: number;
  private readonly maxQueuedFrames: number;
  private readonly staleIdMemory: number;
  private readonly utterances: QueuedUtterance[] = [];
  private readonly staleIds = new Set<string>();
  private queuedFrames = 0;
  /** Frames pushed for an interrupted (stale) utterance, dropped on arrival. */
  droppedStaleFrames = 0;
  /** Frames dropped from the queue by an interrupt. */
  droppedQueuedFrames = 0;
  /** Pushes refused because the queue was full. */
  refusedFrames = 0;

  constructor(
    options: PlayoutOptions,
    private readonly events: PlayoutEvents = {},
  ) {
    if (!Number.isInteger(options.frameSamples) || options.frameSamples <= 0) {
      throw new RangeError(`playout: frameSamples must be a positive integer, got ${options.frameSamples}`);
    }
    this.frameSamples = options.frameSamples;
    const sampleRateHz = options.sampleRateHz ?? 16_000;
    const maxQueuedMs = options.maxQueuedMs ?? 60_000;
    this.maxQueuedFrames = Math.max(1, Math.floor((maxQueuedMs * sampleRateHz) / 1000 / options.frameSamples));
    this.staleIdMemory = options.staleIdMemory ?? 64;
  }

  /** Room left, in frames, before pushes are refused. */
  spaceFrames(): number {
    return this.maxQueuedFrames - this.queuedFrames;
  }

  /**
   * Queue one frame of `utteranceId`'s English. Returns false when it was not queued:
   * the utterance was interrupted (stale) or the queue is full.
   */
  push(utteranceId: string, frame: Float32Array): boolean {
    if (frame.length !== this.frameSamples) {
      throw new RangeError(`playout: frames must be ${this.frameSamples} samples, got ${frame.length}`);
    }
    if (this.staleIds.has(utteranceId)) {
      this.droppedStaleFrames += 1;
      return false;
    }
    if (this.queuedFrames >= this.maxQueuedFrames) {
      this.refusedFrames += 1;
      return false;
    }
    let utterance = this.utterances.find((queued) => queued.id === utteranceId);
    if (!utterance) {
      utterance = { id: utteranceId, frames: [], ended: false, started: false };
      this.utterances.push(utterance);
    }
    if (utterance.ended) throw new Error(`playout: utterance ${utteranceId} was already ended`);
    utterance.frames.push(frame.slice());
    this.queuedFrames += 1;
    return true;
  }

  /** No more frames will come for `utteranceId`; once they are played it is done. */
  end(utteranceId: string): void {
    if (this.staleIds.has(utteranceId)) return;
    const utterance = this.utterances.find((queued) => queued.id === utteranceId);
    if (utterance) utterance.ended = true;
  }

  /**
   * Barge-in: drop `utteranceId`'s queued audio now (or every utterance's, without an
   * id) and refuse whatever synthesis still sends for it. Returns the frames dropped.
   */
  interrupt(utteranceId?: string): number {
    let dropped = 0;
    for (let index = this.utterances.length - 1; index >= 0; index--) {
      const utterance = this.utterances[index] as QueuedUtterance;
      if (utteranceId !== undefined && utterance.id !== utteranceId) continue;
      dropped += utterance.frames.length;
      this.markStale(utterance.id);
      this.utterances.splice(index, 1);
    }
    if (utteranceId !== undefined) this.markStale(utteranceId);
    this.queuedFrames -= dropped;
    this.droppedQueuedFrames += dropped;
    return dropped;
  }

  /**
   * The next frame to play into `out`. Returns the utterance it belongs to, or
   * undefined (and silence in `out`) when nothing is ready.
   */
  pullFrame(out: Float32Array): string | undefined {
    for (;;) {
      const head = this.utterances[0];
      if (!head) break;
      const frame = head.frames.shift();
      if (frame) {
        this.queuedFrames -= 1;
        out.set(frame);
        if (!head.started) {
          head.started = true;
          this.events.onUtteranceStart?.(head.id);
        }
        if (head.ended && head.frames.length === 0) this.finish(head);
        return head.id;
      }
      if (!head.ended) break; // synthesis is behind: play silence, keep the turn.
      this.finish(head);
    }
    out.fill(0);
    return undefined;
  }

  /** Ids with audio still queued or still being synthesised, in play order. */
  pendingUtterances(): string[] {
    return this.utterances.map((utterance) => utterance.id);
  }

  queuedMs(sampleRateHz = 16_000): number {
    return (this.queuedFrames * this.frameSamples * 1000) / sampleRateHz;
  }

  private finish(utterance: QueuedUtterance): void {
    this.utterances.splice(this.utterances.indexOf(utterance), 1);
    this.markStale(utterance.id);
    this.events.onUtteranceDone?.(utterance.id);
  }

  private markStale(utteranceId: string): void {
    this.staleIds.add(utteranceId);
    if (this.staleIds.size > this.staleIdMemory) {
      const oldest = this.staleIds.values().next().value;
      if (oldest !== undefined) this.staleIds.delete(oldest);
    }
  }
}
