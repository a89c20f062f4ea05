/**
 * A per-utterance synthesis stream over a ClauseSynthesizer. Text comes in whole or
 * clause by clause (`push`); it is cleaned (speakable-text.ts), the family's lexicon is
 * applied, and it is split into clauses that are synthesised one after another while the
 * caller is already playing the first. Each clause's audio comes out as a chunk with the
 * pause that should follow it (longer after a sentence: child-directed delivery).
 * `cancel` (barge-in) stops after the clause being synthesised and drops the rest.
 */
import type { Logger } from 'pino';
import { splitEnglishClauses } from './english-clauses.js';
import { speakableText } from './speakable-text.js';
import { type ClauseSynthesizer, TtsCancelledError, type VoiceSelection } from './tts-engine.js';

export interface Delivery {
  voice: VoiceSelection;
  /** Silence after a clause inside a sentence, and after a sentence. */
  clausePauseMs: number;
  sentencePauseMs: number;
  /** Word → how to say it (the child's name, family words), applied before synthesis. */
  lexicon?: Readonly<Record<string, string>>;
}

export interface TtsChunk {
  clauseIndex: number;
  clause: string;
  samples: Float32Array;
  sampleRateHz: number;
  pauseAfterMs: number;
  /** Wall time the synthesis of this clause took. */
  synthesisMs: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, any-case replacement in one pass, longest entries first ("Mei Lin" before "Mei"). */
export function applyLexicon(text: string, lexicon: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(lexicon ?? {});
  if (entries.length === 0) return text;
  const byKey = new Map(entries.map(([word, pronunciation]) => [word.toLowerCase(), pronunciation]));
  const alternatives = entries
    .map(([word]) => word)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(pattern, (match) => byKey.get(match.toLowerCase()) ?? match);
}

export class TtsStream implements AsyncIterable<TtsChunk> {
  private readonly clauses: Array<{ text: string; endsSentence: boolean }> = [];
  private readonly ready: TtsChunk[] = [];
  private ended = false;
  private cancelled = false;
  private failure: unknown;
  private nextIndex = 0;
  private wakeProducer: (() => void) | undefined;
  private wakeConsumer: (() => void) | undefined;
  private readonly abort = new AbortController();
  private readonly producer: Promise<void>;

  constructor(
    private readonly synthesizer: ClauseSynthesizer,
    private readonly delivery: Delivery,
    private readonly logger?: Logger,
  ) {
    this.producer = this.produce();
  }

  /** More text to say: a clause, a sentence, or several. */
  push(text: string): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended || this.cancelled) throw new Error('tts stream: push() after end() or cancel()');
    const { text: clean, removed } = speakableText(text);
    if (removed.length > 0) this.logger?.info({ removed: removed.join('') }, 'dropped characters the voice cannot say');
    this.clauses.push(...splitEnglishClauses(applyLexicon(clean, this.delivery.lexicon)));
    this.wakeProducer?.();
  }

  /** No more text: the stream ends after the last clause's audio. */
  end(): void {
    this.ended = true;
    this.wakeProducer?.();
  }

  /** Barge-in: drop everything not yet synthesised; iteration ends with TtsCancelledError. */
  cancel(): void {
    this.cancelled = true;
    this.abort.abort(new TtsCancelledError('synthesis was cancelled'));
    this.clauses.length = 0;
    this.ready.length = 0;
    this.wakeProducer?.();
    this.wakeConsumer?.();
  }

  private async produce(): Promise<void> {
    const { voice, clausePauseMs, sentencePauseMs } = this.delivery;
    while (!this.cancelled) {
      const clause = this.clauses.shift();
      if (!clause) {
        if (this.ended) break;
        await new Promise<void>((resolve) => {
          this.wakeProducer = resolve;
        });
        this.wakeProducer = undefined;
        continue;
      }
      const started = performance.now();
      try {
        const samples = await this.synthesizer.synthesizeClause(clause.text, voice, this.abort.signal);
        if (this.cancelled) break;
        this.ready.push({
          clauseIndex: this.nextIndex++,
          clause: clause.text,
          samples,
          sampleRateHz: this.synthesizer.sampleRateHz,
          pauseAfterMs: clause.endsSentence ? sentencePauseMs : clausePauseMs,
          synthesisMs: performance.now() - started,
        });
      } catch (error) {
        if (!this.cancelled) this.failure = error;
        break;
      }
      this.wakeConsumer?.();
    }
    this.ended = true;
    this.wakeConsumer?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TtsChunk> {
    try {
      yield* this.chunks();
    } finally {
      // A reader that stops early (break, an error in its loop) stops the synthesis too.
      if (!this.ended || this.clauses.length > 0) this.cancel();
    }
  }

  private async *chunks(): AsyncGenerator<TtsChunk> {
    while (true) {
      if (this.cancelled) throw new TtsCancelledError('synthesis was cancelled');
      const chunk = this.ready.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.failure !== undefined) throw this.failure;
      if (this.ended && this.clauses.length === 0) {
        await this.producer;
        if (this.cancelled) throw new TtsCancelledError('synthesis was cancelled');
        if (this.ready.length === 0) {
          if (this.failure !== undefined) throw this.failure;
          return;
        }
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wakeConsumer = resolve;
      });
      this.wakeConsumer = undefined;
    }
  }

  /** Everything, concatenated with the pauses (previews, benches, tests). */
  async collect(): Promise<{ samples: Float32Array; sampleRateHz: number; chunks: TtsChunk[] }> {
    const chunks: TtsChunk[] = [];
    for await (const chunk of this) chunks.push(chunk);
    const rate = this.synthesizer.sampleRateHz;
    const total = chunks.reduce(
      (sum, c, i) => sum + c.samples.length + (i < chunks.length - 1 ? Math.round((c.pauseAfterMs * rate) / 1000) : 0),
      0,
    );
    const samples = new Float32Array(total);
    let offset = 0;
    chunks.forEach((chunk, i) => {
      samples.set(chunk.samples, offset);
      offset += chunk.samples.length;
      if (i < chunks.length - 1) offset += Math.round((chunk.pauseAfterMs * rate) / 1000);
    });
    return { samples, sampleRateHz: rate, chunks };
  }
}
