/**
 * The Marian engine end to end, through the production path (model store → transformers.js
 * → signature check → our tokenizer → greedy generate / beam search → cache), on tiny ONNX
 * graphs with the real opus-mt-zh-en names, dtypes and shapes (tests/helpers/
 * marian-test-graphs.ts) and the real tokenizer files from ../shared. The graphs' decoder
 * follows a table of (source, history) → next-token rules, so the expected English is known.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { firstMissing, SHARED_PATHS } from '../../../bench/frontend/shared-data.js';
import {
  chainRules,
  type DecoderRule,
  decoderRule,
  EOS_TOKEN,
  MARIAN,
  marianDecoderGraph,
  marianEncoderGraph,
  START_TOKEN,
  writeMarianTestModel,
} from '../../../bench/stand-ins/marian-stand-ins.js';
import type { OnnxGraphBuilder } from '../../../bench/stand-ins/onnx-graph.js';
import { loadMarianEngine, MarianModel } from '../../../pipeline/engines/mt/marian-engine.js';
import { MarianTokenizer } from '../../../pipeline/engines/mt/marian-tokenizer.js';
import { Translator } from '../../../pipeline/engines/mt/translator.js';
import { ModelMismatchError, ort } from '../../../pipeline/engines/onnx-session.js';
import { ModelNotInstalledError, type ModelStore, openModelStore } from '../../../pipeline/models/index.js';
import { captureLogger } from '../../doubles/test-logger.js';
import { tempDir } from '../../helpers/model-cache.js';

const TOKENIZER_DIR = join(SHARED_PATHS.modelsDir, 'opus-mt-zh-en-tokenizer');
const missing = firstMissing(
  [
    'source.spm',
    'target.spm',
    'vocab.json',
    'config.json',
    'generation_config.json',
    'tokenizer_config.json',
    'special_tokens_map.json',
    'quantize_config.json',
  ].map((name) => join(TOKENIZER_DIR, name)),
);
if (missing) console.warn(`skipping Marian engine tests: ${missing} is missing (../shared not present)`);

/** What the test decoder translates each sentence to (greedy). */
const PAIRS: Array<[zh: string, en: string]> = [
  ['宝宝，该睡觉了。', 'Time for bed, sweetheart.'],
  ['明天见！', 'See you tomorrow!'],
  ['我爱你。', 'I love you so much.'],
];
/** A sentence whose decoder rules make greedy and beam search disagree (see below). */
const TREE_SOURCE = '你要哪个？';

/**
 * start → The 0.6 | This 0.4;  The → red 0.55 | blue 0.45;  This → red 0.9 | eos 0.1;
 * The red → eos 0.6 | one 0.4;  The blue → eos 0.5 | one 0.5;  This red → eos 0.95 | one 0.05.
 * Greedy: "The red" (Σ log p / 3 = -0.54); beam: "This red" (-0.36). Telling "The red"
 * from "This red" on the third step needs the decoder cache reordered with the beams.
 */
function treeRules(tokenizer: MarianTokenizer): DecoderRule[] {
  const id = (word: string) => tokenizer.encodeTarget(word)[0] as number;
  const [the, thisWord, red, blue, one] = ['The', 'This', 'red', 'blue', 'one'].map(id) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const source = tokenizer.encode(TREE_SOURCE);
  const rule = (history: number[], logits: Array<[number, number]>) =>
    decoderRule(
      source,
      [START_TOKEN, ...history],
      logits.map(([token, p]) => [token, Math.log(p)] as const),
    );
  return [
    rule(
      [],
      [
        [the, 0.6],
        [thisWord, 0.4],
      ],
    ),
    rule(
      [the],
      [
        [red, 0.55],
        [blue, 0.45],
      ],
    ),
    rule(
      [thisWord],
      [
        [red, 0.9],
        [EOS_TOKEN, 0.1],
      ],
    ),
    rule(
      [the, red],
      [
        [EOS_TOKEN, 0.6],
        [one, 0.4],
      ],
    ),
    rule(
      [the, blue],
      [
        [EOS_TOKEN, 0.5],
        [one, 0.5],
      ],
    ),
    rule(
      [thisWord, red],
      [
        [EOS_TOKEN, 0.95],
        [one, 0.05],
      ],
    ),
  ];
}

function allRules(tokenizer: MarianTokenizer): DecoderRule[] {
  return [
    ...PAIRS.flatMap(([zh, en]) => chainRules(tokenizer.encode(zh), tokenizer.encodeTarget(en).slice(0, -1))),
    ...treeRules(tokenizer),
  ];
}

/** A store whose opus-mt-zh-en is the given graphs (fetched from a temp mirror) plus the real tokenizer. */
async function storeWith(graphs: { encoder: OnnxGraphBuilder; decoder: OnnxGraphBuilder }): Promise<{
  store: ModelStore;
  remove(): void;
}> {
  const root = tempDir('mt-engine');
  const mirror = join(root.path, 'mirror');
  const catalog = await writeMarianTestModel(mirror, graphs);
  const store = openModelStore({
    env: {},
    cacheDir: join(root.path, 'cache'),
    mirrors: [mirror, SHARED_PATHS.modelsDir],
    catalog,
  });
  await store.fetch('opus-mt-zh-en');
  return { store, remove: root.remove };
}

describe.skipIf(missing !== undefined)('Marian engine on test graphs with the real signature', () => {
  let tokenizer: MarianTokenizer;
  let fixture: { store: ModelStore; remove(): void };
  let model: MarianModel;
  let engine: Translator;
  const log = captureLogger();

  beforeAll(async () => {
    tokenizer = await MarianTokenizer.fromFolder(TOKENIZER_DIR);
    fixture = await storeWith({ encoder: marianEncoderGraph(), decoder: marianDecoderGraph(allRules(tokenizer)) });
    model = await MarianModel.load(fixture.store, { logger: log.logger });
    engine = new Translator(model, { logger: log.logger });
  });
  afterAll(async () => {
    await engine?.dispose();
    fixture?.remove();
  });

  it('loads through the store and transformers.js, and translates greedily to the known English', async () => {
    const result = await engine.translate('宝宝，该睡觉了。');
    expect(result.text).toBe('Time for bed, sweetheart.');
    expect(result.sentences).toHaveLength(1);
    expect(result.sentences[0]).toMatchObject({ source: '宝宝，该睡觉了。', fromCache: false });
    expect(log.lines.find((line) => line.msg === 'MT model loaded')).toMatchObject({ modelId: 'opus-mt-zh-en' });
  });

  it('splits a long turn and makes one model call per sentence, then answers repeats from the cache', async () => {
    const generate = vi.spyOn(model, 'generateIds');
    try {
      const turn = '宝宝，该睡觉了。明天见！我爱你。';
      const first = await engine.translate(turn, { beamWidth: 1 });
      expect(first.text).toBe('Time for bed, sweetheart. See you tomorrow! I love you so much.');
      expect(first.sentences.map((s) => s.source)).toEqual(PAIRS.map(([zh]) => zh));
      expect(generate).toHaveBeenCalledTimes(2); // the first sentence is cached from the test above
      const again = await engine.translate(turn);
      expect(again.text).toBe(first.text);
      expect(again.sentences.every((s) => s.fromCache)).toBe(true);
      expect(generate).toHaveBeenCalledTimes(2);
    } finally {
      generate.mockRestore();
    }
  });

  it('beam search (widths 2–4) over the same sessions agrees with greedy where greedy is certain', async () => {
    for (const beamWidth of [2, 3, 4]) {
      const result = await engine.translate('宝宝，该睡觉了。明天见！', { beamWidth });
      expect(result.text, `width ${beamWidth}`).toBe('Time for bed, sweetheart. See you tomorrow!');
      expect(result.sentences.every((s) => !s.fromCache)).toBe(true);
    }
  });

  it('beam search finds the better-normalised translation where greedy does not', async () => {
    expect((await engine.translate(TREE_SOURCE, { beamWidth: 1 })).text).toBe('The red');
    for (const beamWidth of [2, 3, 4])
      expect((await engine.translate(TREE_SOURCE, { beamWidth })).text, `width ${beamWidth}`).toBe('This red');
  });

  it('passes empty, blank and odd-script text through without crashing', async () => {
    const generate = vi.spyOn(model, 'generateIds');
    try {
      for (const text of ['', '   ', '\n'])
        expect(await engine.translate(text)).toMatchObject({ text: '', sentences: [] });
      for (const text of ['😀', 'Привет', 'Hello world.', '🙂🙃', '我爱你。😀']) {
        const result = await engine.translate(text);
        expect(result.sentences.length, text).toBeGreaterThan(0);
        expect(result.text, text).toBe('');
      }
      // Emoji-only text is all <unk>: the model is not asked to guess.
      expect(generate.mock.calls.map(([ids]) => ids)).not.toContainEqual([tokenizer.unkTokenId, tokenizer.eosTokenId]);
    } finally {
      generate.mockRestore();
    }
  });

  it('stops decoding when the signal aborts (barge-in)', async () => {
    engine.cache.clear();
    const controller = new AbortController();
    const pending = engine.translate('我爱你。明天见！', { signal: controller.signal });
    controller.abort(new Error('barge-in'));
    await expect(pending).rejects.toThrow('barge-in');
    const aborted = AbortSignal.abort(new Error('already gone'));
    await expect(engine.translate('我爱你。', { signal: aborted })).rejects.toThrow('already gone');
    await expect(model.generateIds(tokenizer.encode('我爱你。'), { beamWidth: 2, signal: aborted })).rejects.toThrow(
      'already gone',
    );
  });

  it('interrupts greedy generate between decoder steps', async () => {
    // The transformers.js model's decoder session, wrapped to abort after its first run.
    const sessions = (Reflect.get(model, 'model') as { sessions: Record<string, ort.InferenceSession> }).sessions;
    const decoder = sessions.decoder_model_merged as ort.InferenceSession;
    const run = decoder.run.bind(decoder);
    const controller = new AbortController();
    let runs = 0;
    const spy = vi.spyOn(decoder, 'run').mockImplementation(async (feeds: ort.InferenceSession.FeedsType) => {
      runs++;
      controller.abort(new Error('barge-in'));
      return run(feeds);
    });
    try {
      const ids = tokenizer.encode('宝宝，该睡觉了。');
      await expect(model.generateIds(ids, { beamWidth: 1, signal: controller.signal })).rejects.toThrow('barge-in');
      expect(runs).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it('the test decoder continues only when its caches are fed back as the real model needs', async () => {
    // A guard on the test itself: feeding back the placeholder encoder `present` (as a
    // careless engine would) fails, and a zeroed encoder cache loses the source and ends
    // the sentence at once.
    const sessions = (Reflect.get(model, 'model') as { sessions: Record<string, ort.InferenceSession> }).sessions;
    const decoder = sessions.decoder_model_merged as ort.InferenceSession;
    const source = tokenizer.encode('我爱你。');
    const hidden = new Float32Array(source.length * MARIAN.hidden);
    source.forEach((id, s) => {
      hidden.fill(id, s * MARIAN.hidden, (s + 1) * MARIAN.hidden);
    });
    const common = {
      encoder_attention_mask: new ort.Tensor('int64', new BigInt64Array(source.length).fill(1n), [1, source.length]),
      encoder_hidden_states: new ort.Tensor('float32', hidden, [1, source.length, MARIAN.hidden]),
    };
    const empty = new ort.Tensor('float32', new Float32Array(0), [1, MARIAN.heads, 0, MARIAN.headDim]);
    const pastNames = decoder.inputNames.filter((name) => name.startsWith('past_key_values.'));
    const first = await decoder.run({
      ...common,
      input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(START_TOKEN)), [1, 1]),
      use_cache_branch: new ort.Tensor('bool', Uint8Array.of(0), [1]),
      ...Object.fromEntries(pastNames.map((name) => [name, empty])),
    });
    const argmax = (logits: ort.Tensor | undefined) => {
      const data = logits?.data as Float32Array;
      return data.indexOf(Math.max(...data));
    };
    const expected = tokenizer.encodeTarget('I love you so much.');
    const firstToken = argmax(first.logits);
    expect(firstToken).toBe(expected[0]);
    const second = (encoderFrom: 'first step' | 'step outputs' | 'zeros') =>
      decoder.run({
        ...common,
        input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(firstToken)), [1, 1]),
        use_cache_branch: new ort.Tensor('bool', Uint8Array.of(1), [1]),
        ...Object.fromEntries(
          pastNames.map((name) => {
            const present = first[name.replace('past_key_values.', 'present.')] as ort.Tensor;
            if (name.includes('.decoder.') || encoderFrom === 'first step') return [name, present];
            const zeros = new Float32Array(MARIAN.heads * source.length * MARIAN.headDim);
            const shape = [1, MARIAN.heads, source.length, MARIAN.headDim];
            return [name, encoderFrom === 'zeros' ? new ort.Tensor('float32', zeros, shape) : empty];
          }),
        ),
      });
    expect(argmax((await second('first step')).logits)).toBe(expected[1]);
    expect(argmax((await second('zeros')).logits)).toBe(EOS_TOKEN);
    await expect(second('step outputs')).rejects.toThrow();
  });
});

describe.skipIf(missing !== undefined)('Marian engine refusals', () => {
  it('refuses graphs whose inputs or outputs differ from the Marian signature, listing every difference', async () => {
    const fixture = await storeWith({
      encoder: marianEncoderGraph({ rename: { attention_mask: 'mask' }, retype: { input_ids: 'int32' } }),
      decoder: marianDecoderGraph([], {
        omitUseCacheBranch: true,
        logitsWidth: 65000,
        rename: { 'past_key_values.2.encoder.value': 'past_key_values.2.cross.value' },
      }),
    });
    try {
      const error = await loadMarianEngine(fixture.store).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ModelMismatchError);
      const message = (error as Error).message;
      for (const expected of [
        'encoder_model_quantized.onnx: missing input "attention_mask"',
        'encoder_model_quantized.onnx: input "input_ids" is int32, expected int64',
        'encoder_model_quantized.onnx: unexpected input "mask"',
        'decoder_model_merged_quantized.onnx: missing input "use_cache_branch"',
        'decoder_model_merged_quantized.onnx: missing input "past_key_values.2.encoder.value"',
        'decoder_model_merged_quantized.onnx: unexpected input "past_key_values.2.cross.value"',
        'decoder_model_merged_quantized.onnx: output "logits" dimension 2 is 65000 where 65001 is expected',
      ])
        expect(message).toContain(expected);
      expect(message.split('\n  - ')).toHaveLength(8);
    } finally {
      fixture.remove();
    }
  });

  it('refuses a cache whose batch dimension is not named batch_size (transformers.js would feed batch 0)', async () => {
    const decoder = marianDecoderGraph([]);
    const fixture = await storeWith({ encoder: marianEncoderGraph(), decoder: renameBatchDim(decoder) });
    try {
      await expect(loadMarianEngine(fixture.store)).rejects.toThrow(
        /input "past_key_values\.0\.decoder\.key" dimension 0 is "batch" where the symbol "batch_size" is expected/,
      );
    } finally {
      fixture.remove();
    }
  });

  it('names `collar models fetch opus-mt-zh-en` when the model is not installed', async () => {
    const empty = tempDir('mt-empty');
    try {
      const store = openModelStore({ env: {}, cacheDir: empty.path, mirrors: [] });
      const error = await loadMarianEngine(store).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ModelNotInstalledError);
      expect((error as Error).message).toContain('collar models fetch opus-mt-zh-en');
    } finally {
      empty.remove();
    }
  });
});

/** The same decoder with its past inputs' batch dimension called `batch`. */
function renameBatchDim(builder: OnnxGraphBuilder): OnnxGraphBuilder {
  const original = builder.toModelProto.bind(builder);
  builder.toModelProto = () => {
    const model = original();
    for (const input of model.graph?.input ?? []) {
      const dim = input.type?.tensorType?.shape?.dim?.[0];
      if (input.name?.startsWith('past_key_values.') && dim) dim.dimParam = 'batch';
    }
    return model;
  };
  return builder;
}
