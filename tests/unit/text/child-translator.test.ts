import { describe, expect, it } from 'vitest';
import { ModelNotInstalledError } from '../../../pipeline/models/index.js';
import { ChildTranslator } from '../../../pipeline/text/child-translator.js';
import { Phrasebook } from '../../../pipeline/text/phrasebook/phrasebook.js';
import { ChildSafetyFilter } from '../../../pipeline/text/safety/child-safety-filter.js';
import { ScriptedMtEngineDouble } from '../../doubles/scripted-mt-engine.js';
import { captureLogger } from '../../doubles/test-logger.js';

const book = new Phrasebook([
  { id: 'bedtime', category: 'bedtime', zh: ['宝贝该上床睡觉了'], en: 'Time to get into bed, sweetie.' },
  { id: 'family-rude', category: 'everyday', zh: ['别说脏话'], en: 'Do not say shit.' },
]);

function translatorWith(mt: ScriptedMtEngineDouble | Error) {
  const { logger, lines } = captureLogger();
  let loads = 0;
  const translator = new ChildTranslator({
    phrasebook: book,
    loadMt: async () => {
      loads++;
      if (mt instanceof Error) throw mt;
      return mt;
    },
    safety: new ChildSafetyFilter(logger),
  });
  return { translator, lines, loads: () => loads };
}

describe('ChildTranslator', () => {
  it('uses the curated English for a close phrasebook match and never loads MT for it', async () => {
    const { translator, loads } = translatorWith(new ScriptedMtEngineDouble({}));
    const result = await translator.translate('宝贝该上床睡叫了');
    expect(result).toMatchObject({ english: 'Time to get into bed, sweetie.', source: 'phrasebook' });
    expect(result.phrase).toMatchObject({ id: 'bedtime', variant: '宝贝该上床睡觉了' });
    expect(result.phrase?.similarity).toBeCloseTo(0.875);
    expect(loads()).toBe(0);
  });

  it('sends anything else to MT, loading it once', async () => {
    const mt = new ScriptedMtEngineDouble({ 我们去公园: "We're going to the park.", 下雨了: "It's raining." });
    const { translator, loads } = translatorWith(mt);
    expect(await translator.translate('我们去公园')).toMatchObject({
      english: "We're going to the park.",
      source: 'mt',
    });
    expect((await translator.translate('下雨了')).mt).toEqual({
      engine: 'scripted-mt-double',
      sentences: 1,
      fromCache: 0,
    });
    expect(loads()).toBe(1);
    await translator.dispose();
    expect(mt.disposed).toBe(true);
  });

  it('filters MT and phrasebook English alike, logging each replacement', async () => {
    const { translator, lines } = translatorWith(new ScriptedMtEngineDouble({ 他很生气: 'He is fucking angry.' }));
    const fromMt = await translator.translate('他很生气');
    expect(fromMt.english).toBe('He is oops angry.');
    expect(fromMt.safetyReplacements).toHaveLength(1);
    const fromBook = await translator.translate('别说脏话');
    expect(fromBook).toMatchObject({ source: 'phrasebook', english: 'Do not say oops.' });
    expect(lines.filter((line) => line.category === 'profanity')).toHaveLength(2);
  });

  it('keeps the phrasebook working when MT is not installed, and names the fetch command otherwise', async () => {
    const { translator, loads } = translatorWith(
      new ModelNotInstalledError('opus-mt-zh-en', 'encoder_model_quantized.onnx'),
    );
    expect((await translator.translate('宝贝该上床睡觉了')).source).toBe('phrasebook');
    await expect(translator.translate('我们去公园')).rejects.toThrow(/collar models fetch opus-mt-zh-en/);
    await expect(translator.translate('我们去公园')).rejects.toThrow(ModelNotInstalledError);
    expect(loads()).toBe(2);
  });

  it('returns empty English for empty or blank text without touching MT', async () => {
    const { translator, loads } = translatorWith(new ScriptedMtEngineDouble({}));
    expect(await translator.translate('  ')).toMatchObject({ english: '', source: 'empty' });
    expect(loads()).toBe(0);
  });
});

describe('ChildTranslator.prefetch', () => {
  it('translates the complete sentences of a partial ahead of the final, once each', async () => {
    const mt = new ScriptedMtEngineDouble({ '我们去公园。': "We're going to the park." });
    const { translator } = translatorWith(mt);
    translator.prefetch('我们去公园。');
    translator.prefetch('我们去公园。然后');
    translator.prefetch('我们去公园。然后吃冰。');
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The last piece is still growing (even with a full stop); a settled sentence is sent once.
    expect(mt.calls).toEqual(['我们去公园。']);
    translator.prefetch('宝贝该上床睡觉了。好吗');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(mt.calls).toEqual(['我们去公园。']);
  });
});
