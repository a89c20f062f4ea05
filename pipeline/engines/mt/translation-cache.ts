/**
 * A small LRU of translated sentences, keyed by the normalised source sentence and the
 * decoding options that change the result (beam width). Parents repeat themselves — "该睡觉了",
 * "把鞋穿上" — and a hit skips the model entirely. Bounded (principle 3): the least recently
 * used entry goes when a new one would exceed `capacity`.
 *
 * Normalisation is NFKC plus whitespace collapsed and trimmed: the source sentencepiece
 * model normalises with nmt_nfkc before tokenising, so two sentences that differ only
 * there get the same token ids and hence the same translation.
 */

export interface TranslationCacheStats {
  hits: number;
  misses: number;
  size: number;
  capacity: number;
}

export interface CacheKeyOptions {
  beamWidth: number;
}

export const DEFAULT_TRANSLATION_CACHE_CAPACITY = 256;

export function normalizeSource(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

export class TranslationCache {
  readonly capacity: number;
  private readonly entries = new Map<string, string>();
  private hits = 0;
  private misses = 0;

  /** `capacity` 0 turns caching off (every lookup misses, nothing is kept). */
  constructor(capacity = DEFAULT_TRANSLATION_CACHE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new RangeError(`cache capacity must be a whole number, got ${capacity}`);
    this.capacity = capacity;
  }

  static key(source: string, options: CacheKeyOptions): string {
    return `${options.beamWidth}\u0000${normalizeSource(source)}`;
  }

  /** The cached translation, counted as a hit (and made most recent), or undefined (a miss). */
  get(source: string, options: CacheKeyOptions): string | undefined {
    const key = TranslationCache.key(source, options);
    const target = this.entries.get(key);
    if (target === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, target);
    return target;
  }

  set(source: string, options: CacheKeyOptions, target: string): void {
    if (this.capacity === 0) return;
    const key = TranslationCache.key(source, options);
    this.entries.delete(key);
    this.entries.set(key, target);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  stats(): TranslationCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size, capacity: this.capacity };
  }

  clear(): void {
    this.entries.clear();
  }
}
