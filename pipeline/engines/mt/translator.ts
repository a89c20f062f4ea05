/**
 * The MtEngine every model sits behind: split the turn into sentences, take each from the
 * cache or the model, join the English with spaces. The model only ever sees one
 * sentence; which model it is does not matter here (MarianModel in production, a scripted
 * double in tests).
 */
import type { Logger } from '../../logging/logger.js';
import { checkBeamWidth, type MtEngine, type MtResult, type MtSentence, type MtTranslateOptions } from './mt-engine.js';
import { type SentenceSplitterOptions, splitSentences } from './sentence-splitter.js';
import { TranslationCache } from './translation-cache.js';

/** Translates one sentence; the model behind an MtEngine. */
export interface SentenceTranslator {
  readonly id: string;
  translateSentence(sentence: string, options: { beamWidth: number; signal?: AbortSignal }): Promise<string>;
  dispose(): Promise<void>;
}

export interface TranslatorOptions {
  /** Beam width when a call names none (default 1: greedy). */
  defaultBeamWidth?: number;
  /** A cache to share, or the capacity of a new one (default 256; 0 = off). */
  cache?: TranslationCache | number;
  splitter?: SentenceSplitterOptions;
  logger?: Logger;
  /** Milliseconds clock (default `performance.now`); tests inject one. */
  now?: () => number;
}

export class Translator implements MtEngine {
  readonly cache: TranslationCache;
  private readonly defaultBeamWidth: number;
  private readonly splitter: SentenceSplitterOptions;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private disposed = false;

  constructor(
    private readonly model: SentenceTranslator,
    options: TranslatorOptions = {},
  ) {
    this.defaultBeamWidth = checkBeamWidth(options.defaultBeamWidth ?? 1);
    this.cache = options.cache instanceof TranslationCache ? options.cache : new TranslationCache(options.cache);
    this.splitter = options.splitter ?? {};
    this.logger = options.logger;
    this.now = options.now ?? (() => performance.now());
  }

  get id(): string {
    return this.model.id;
  }

  async translate(text: string, options: MtTranslateOptions = {}): Promise<MtResult> {
    if (this.disposed) throw new Error(`MT engine ${this.id} has been disposed`);
    const { signal } = options;
    signal?.throwIfAborted();
    const beamWidth = checkBeamWidth(options.beamWidth ?? this.defaultBeamWidth);
    const started = this.now();
    const sentences: MtSentence[] = [];
    for (const source of splitSentences(text, this.splitter)) {
      signal?.throwIfAborted();
      const sentenceStarted = this.now();
      const cached = this.cache.get(source, { beamWidth });
      let target: string;
      if (cached !== undefined) {
        target = cached;
      } else {
        target = await this.model.translateSentence(source, { beamWidth, ...(signal ? { signal } : {}) });
        this.cache.set(source, { beamWidth }, target);
      }
      sentences.push({ source, target, fromCache: cached !== undefined, elapsedMs: this.now() - sentenceStarted });
    }
    const result: MtResult = {
      text: sentences
        .map((sentence) => sentence.target)
        .filter((target) => target !== '')
        .join(' '),
      sentences,
      elapsedMs: this.now() - started,
    };
    this.logger?.debug(
      {
        sentences: sentences.length,
        fromCache: sentences.filter((sentence) => sentence.fromCache).length,
        beamWidth,
        elapsedMs: Math.round(result.elapsedMs),
      },
      'translated',
    );
    return result;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cache.clear();
    await this.model.dispose();
  }
}
