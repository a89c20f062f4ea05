/**
 * Recognised Mandarin → the English the child hears. A close phrasebook match uses the
 * family's curated English; anything else goes to machine translation; either way the
 * child-safety filter has the last word. MT loads on first need, so the phrasebook keeps
 * working on a device where the MT model is not installed yet.
 */
import type { Logger } from 'pino';
import type { MtEngine, MtTranslateOptions } from '../engines/mt/mt-engine.js';
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

export class ChildTranslator {
  private mt: Promise<MtEngine> | undefined;

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
