/**
 * Recognised Mandarin → the English the child hears. A close phrasebook match uses the
 * family's curated English; anything else goes to machine translation; either way the
 * child-safety filter has the last word. MT loads on first need, so the phrasebook keeps
 * working on a device where the MT model is not installed yet.
 */
import type { Logger } from 'pino';
import type { MtEngine, MtTranslateOptions } from '../engines/mt/mt-engine.js';
import { splitSentences } from '../engines/mt/sentence-splitter.js';
import type { Phrasebook } from './phrasebook/phrasebook.js';
import type { ChildSafetyFilter, SafetyReplacement } from './safety/child-safety-filter.js';

export type TranslationSource = 'phrasebook' | 'mt' | 'empty';

export interface ChildTranslation {
  chinese: string;
  english: string;
  source: TranslationSource;
  /** Set when the phrasebook answered. */
  phrase?: { id: string; category: string; variant: string; similarity: number };
  /** Set when MT answered: which engine, and the cache hits among its sentences. */
  mt?: { engine: string; sentences: number; fromCache: number };
  safetyReplacements: SafetyReplacement[];
  elapsedMs: number;
}

export interface ChildTranslatorParts {
  phrasebook: Phrasebook | undefined;
  /** Called once, the first time MT is needed; its error (e.g. not installed) is the caller's. */
  loadMt: () => Promise<MtEngine>;
  safety: ChildSafetyFilter;
  logger?: Logger;
}

/** Sentences remembered as already prefetched; the MT cache itself is bounded separately. */
const MAX_PREFETCHED = 256;

export class ChildTranslator {
  private mt: Promise<MtEngine> | undefined;
  private readonly prefetched = new Set<string>();

  constructor(private readonly parts: ChildTranslatorParts) {}

  async translate(chinese: string, options: MtTranslateOptions = {}): Promise<ChildTranslation> {
    const started = performance.now();
    const text = chinese.trim();
    if (text === '') {
      return { chinese, english: '', source: 'empty', safetyReplacements: [], elapsedMs: performance.now() - started };
    }
    const match = this.parts.phrasebook?.match(text);
    if (match) {
      const safe = this.parts.safety.clean(match.entry.en);
      return {
        chinese,
        english: safe.text,
        source: 'phrasebook',
        phrase: {
          id: match.entry.id,
          category: match.entry.category,
          variant: match.variant,
          similarity: match.similarity,
        },
        safetyReplacements: safe.replacements,
        elapsedMs: performance.now() - started,
      };
    }
    const mt = await this.mtEngine();
    const translated = await mt.translate(text, options);
    const safe = this.parts.safety.clean(translated.text);
    return {
      chinese,
      english: safe.text,
      source: 'mt',
      mt: {
        engine: mt.id,
        sentences: translated.sentences.length,
        fromCache: translated.sentences.filter((sentence) => sentence.fromCache).length,
      },
      safetyReplacements: safe.replacements,
      elapsedMs: performance.now() - started,
    };
  }

  /**
   * Start translating the settled sentences of a partial transcript, so their MT results
   * are cached by the time the final text arrives. The last piece is always left alone:
   * it is still growing, even when the recogniser has already put a full stop after it
   * (inverse text normalisation punctuates every hypothesis). Each sentence is sent once.
   * Best effort: failures are logged at debug level and otherwise ignored.
   */
  prefetch(partialChinese: string): void {
    const settled = splitSentences(partialChinese.trim()).slice(0, -1);
    for (const sentence of settled) {
      if (this.prefetched.has(sentence) || this.parts.phrasebook?.match(sentence)) continue;
      this.prefetched.add(sentence);
      this.mtEngine()
        .then((mt) => mt.translate(sentence))
        .catch((error: unknown) => this.parts.logger?.debug({ err: error, sentence }, 'prefetch translation failed'));
    }
    if (this.prefetched.size > MAX_PREFETCHED) this.prefetched.clear();
  }

  async dispose(): Promise<void> {
    const mt = await this.mt?.catch(() => undefined);
    await mt?.dispose();
  }

  private mtEngine(): Promise<MtEngine> {
    if (!this.mt) {
      this.mt = this.parts.loadMt();
      // A failed load (not installed, corrupt) is retried next time rather than cached.
      this.mt.catch(() => {
        this.mt = undefined;
      });
    }
    return this.mt;
  }
}
