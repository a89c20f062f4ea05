/**
 * The Translator (split → cache or model → join) over a scripted sentence model.
 */
import { describe, expect, it } from 'vitest';
import type { SentenceTranslator } from '../../../pipeline/engines/mt/translator.js';
import { Translator } from '../../../pipeline/engines/mt/translator.js';
import { captureLogger } from '../../doubles/test-logger.js';

/** TEST DOUBLE. Translates from a fixed table ('' for anything else) and records each call. */
class ScriptedSentenceModel implements SentenceTranslator {
  readonly id = 'scripted';
  readonly calls: Array<{ sentence: string; beamWidth: number }> = [];
  disposed = false;
  constructor(
    private readonly table: Record<string, string>,
    private readonly onCall?: () => void,
  ) {}
  async translateSentence(sentence: string, options: { beamWidth: number; signal?: AbortSignal }): Promise<string> {
    this.calls.push({ sentence, beamWidth: options.beamWidth });
    this.onCall?.();
    options.signal?.throwIfAborted();
    return this.table[sentence] ?? '';
  }
  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const TABLE = {
  '宝宝，该睡觉了。': "Baby, it's time for bed.",
  '明天见！': 'See you tomorrow!',
  '我爱你。': 'I love you.',
};

/** A clock that advances 5 ms each time it is read. */
function steppingClock(): () => number {
  let now = 0;
  return () => (now += 5);
}

describe('Translator', () => {
  it('translates a long turn one sentence at a time and joins the English with spaces', async () => {
    const model = new ScriptedSentenceModel(TABLE);
    const translator = new Translator(model, { now: steppingClock() });
    const result = await translator.translate('宝宝，该睡觉了。明天见！我爱你。');
    expect(model.calls.map((call) => call.sentence)).toEqual(['宝宝，该睡觉了。', '明天见！', '我爱你。']);
    expect(result.text).toBe("Baby, it's time for bed. See you tomorrow! I love you.");
    expect(result.sentences.map((s) => [s.source, s.target, s.fromCache])).toEqual([
      ['宝宝，该睡觉了。', "Baby, it's time for bed.", false],
      ['明天见！', 'See you tomorrow!', false],
      ['我爱你。', 'I love you.', false],
    ]);
    expect(result.sentences.every((sentence) => sentence.elapsedMs === 5)).toBe(true);
    expect(result.elapsedMs).toBeGreaterThan(0);
    expect(translator.id).toBe('scripted');
  });

  it('answers a repeated sentence from the cache, per beam width', async () => {
    const model = new ScriptedSentenceModel(TABLE);
    const translator = new Translator(model);
    await translator.translate('我爱你。');
    const again = await translator.translate('我爱你。明天见！');
    expect(again.sentences.map((s) => s.fromCache)).toEqual([true, false]);
    expect(again.text).toBe('I love you. See you tomorrow!');
    expect(model.calls).toHaveLength(2);
    await translator.translate('我爱你。', { beamWidth: 3 });
    expect(model.calls.at(-1)).toEqual({ sentence: '我爱你。', beamWidth: 3 });
    expect(translator.cache.stats()).toMatchObject({ hits: 1, misses: 3, size: 3 });
  });

  it('gives an empty result for empty or blank text without calling the model', async () => {
    const model = new ScriptedSentenceModel(TABLE);
    const translator = new Translator(model);
    for (const text of ['', '   ', '\n\t']) {
      expect(await translator.translate(text)).toMatchObject({ text: '', sentences: [] });
    }
    expect(model.calls).toHaveLength(0);
  });

  it('leaves untranslatable sentences out of the text but lists them', async () => {
    const translator = new Translator(new ScriptedSentenceModel(TABLE));
    const result = await translator.translate('Привет! 我爱你。😀');
    expect(result.text).toBe('');
    expect(result.sentences.map((s) => [s.source, s.target])).toEqual([
      ['Привет!', ''],
      ['我爱你。😀', ''],
    ]);
    expect((await translator.translate('Hello! 我爱你。')).text).toBe('I love you.');
  });

  it('uses the default beam width, refuses one out of range, and logs a summary at debug', async () => {
    const model = new ScriptedSentenceModel(TABLE);
    const { logger, lines } = captureLogger();
    const translator = new Translator(model, { defaultBeamWidth: 2, logger });
    await translator.translate('我爱你。');
    expect(model.calls[0]?.beamWidth).toBe(2);
    await expect(translator.translate('我爱你。', { beamWidth: 5 })).rejects.toThrow(RangeError);
    await expect(translator.translate('我爱你。', { beamWidth: 1.5 })).rejects.toThrow(RangeError);
    expect(() => new Translator(model, { defaultBeamWidth: 0 })).toThrow(RangeError);
    expect(lines.find((line) => line.msg === 'translated')).toMatchObject({ sentences: 1, fromCache: 0, beamWidth: 2 });
  });

  it('stops between sentences when the signal aborts (barge-in), and after dispose refuses work', async () => {
    const controller = new AbortController();
    const model = new ScriptedSentenceModel(TABLE, () => controller.abort(new Error('barge-in')));
    const translator = new Translator(model);
    await expect(translator.translate('宝宝，该睡觉了。明天见！', { signal: controller.signal })).rejects.toThrow(
      'barge-in',
    );
    expect(model.calls).toHaveLength(1);
    await translator.dispose();
    expect(model.disposed).toBe(true);
    await expect(translator.translate('我爱你。')).rejects.toThrow(/disposed/);
  });
});
