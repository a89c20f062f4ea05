import { describe, expect, it } from 'vitest';
import { normalizeSource, TranslationCache } from '../../../pipeline/engines/mt/translation-cache.js';

describe('TranslationCache', () => {
  it('counts hits and misses, keyed by the normalised sentence and the beam width', () => {
    const cache = new TranslationCache(4);
    expect(cache.get('你好。', { beamWidth: 1 })).toBeUndefined();
    cache.set('你好。', { beamWidth: 1 }, 'Hello.');
    expect(cache.get('  你好。 ', { beamWidth: 1 })).toBe('Hello.');
    expect(cache.get('你好。', { beamWidth: 2 })).toBeUndefined();
    cache.set('你好，世界', { beamWidth: 1 }, 'Hello, world');
    expect(cache.get('你好,世界', { beamWidth: 1 })).toBe('Hello, world'); // NFKC: ， is ,
    expect(cache.stats()).toEqual({ hits: 2, misses: 2, size: 2, capacity: 4 });
  });

  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new TranslationCache(2);
    const options = { beamWidth: 1 };
    cache.set('一', options, 'one');
    cache.set('二', options, 'two');
    expect(cache.get('一', options)).toBe('one'); // now 二 is the oldest
    cache.set('三', options, 'three');
    expect(cache.get('二', options)).toBeUndefined();
    expect(cache.get('一', options)).toBe('one');
    expect(cache.get('三', options)).toBe('three');
    expect(cache.stats().size).toBe(2);
  });

  it('keeps nothing with capacity 0, and refuses a negative capacity', () => {
    const cache = new TranslationCache(0);
    cache.set('一', { beamWidth: 1 }, 'one');
    expect(cache.get('一', { beamWidth: 1 })).toBeUndefined();
    expect(() => new TranslationCache(-1)).toThrow(RangeError);
  });

  it('normalises NFKC and whitespace', () => {
    expect(normalizeSource(' 我们\u3000用 iPhone\n打电话 ')).toBe('我们 用 iPhone 打电话');
    expect(normalizeSource('ｉＰｈｏｎｅ，')).toBe('iPhone,');
  });
});
