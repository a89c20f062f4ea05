/**
 * The English the child hears, as audio: each translation is synthesised in the voice
 * pack's voice and delivery (clause by clause, child-directed pauses), resampled to the
 * pipeline's 16 kHz and framed for the speaker. Utterances are spoken one after another,
 * in order. Records when each utterance's first audio was ready.
 */
import type { Logger } from 'pino';
import { TtsStream } from '../../pipeline/engines/tts/clause-stream.js';
import { deliveryFor } from '../../pipeline/engines/tts/load-tts-engine.js';
import type { ClauseSynthesizer } from '../../pipeline/engines/tts/tts-engine.js';
import { SpeechFramer } from '../../pipeline/stages/tts/speech-framer.js';
import type { VoicePack } from '../../voices/pack-manifest.js';

/** Silence between two utterances' English. */
const GAP_BETWEEN_UTTERANCES_MS = 300;

export class SpokenEnglish {
  private readonly frames: Int16Array[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: ClauseSynthesizer,
    private readonly pack: VoicePack,
    private readonly logger: Logger,
  ) {}

  /** Queue one utterance's English; resolves with the ms until its first audio was ready. */
  say(english: string): Promise<number> {
    const queuedAt = performance.now();
    const spoken = this.queue.then(async () => {
      const framer = await SpeechFramer.create(this.engine.sampleRateHz);
      const stream = new TtsStream(this.engine, deliveryFor(this.pack), this.logger);
      let firstAudioMs = Number.NaN;
      try {
        stream.push(english);
        stream.end();
        for await (const chunk of stream) {
          if (Number.isNaN(firstAudioMs)) firstAudioMs = performance.now() - queuedAt;
          this.frames.push(...framer.push(chunk));
        }
        this.frames.push(...framer.flush());
        const gap = await SpeechFramer.create(16_000);
        this.frames.push(
          ...gap.push({
            clauseIndex: 0,
            clause: '',
            samples: new Float32Array(0),
            sampleRateHz: 16_000,
            pauseAfterMs: GAP_BETWEEN_UTTERANCES_MS,
            synthesisMs: 0,
          }),
          ...gap.flush(),
        );
        gap.destroy();
      } finally {
        framer.destroy();
      }
      return firstAudioMs;
    });
    this.queue = spoken.then(
      () => undefined,
      () => undefined,
    );
    return spoken;
  }

  /** Everything said so far, as one 16 kHz signal. */
  async audio(): Promise<Int16Array> {
    await this.queue;
    const total = this.frames.reduce((sum, frame) => sum + frame.length, 0);
    const samples = new Int16Array(total);
    let offset = 0;
    for (const frame of this.frames) {
      samples.set(frame, offset);
      offset += frame.length;
    }
    return samples;
  }
}
