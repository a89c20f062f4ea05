import { describe, expect, it } from 'vitest';
import { applyLexicon, type Delivery, type TtsChunk, TtsStream } from '../../../pipeline/engines/tts/clause-stream.js';
import { splitEnglishClauses } from '../../../pipeline/engines/tts/english-clauses.js';
import { speakableText } from '../../../pipeline/engines/tts/speakable-text.js';
import { TtsCancelledError } from '../../../pipeline/engines/tts/tts-engine.js';
import { ToneSynthesizerDouble } from '../../doubles/tone-synthesizer.js';

const delivery: Delivery = {
  voice: { voiceName: 'tone', rate: 0.85, pitch: 1 },
  clausePauseMs: 250,
  sentencePauseMs: 450,
};

describe('speakableText', () => {
  it('drops emoji, Chinese and control characters, reporting them, and spells out a few symbols', () => {
    expect(speakableText('Good job! 🎉 你好\u0007 Fish & chips, 100% yummy.')).toEqual({
      text: 'Good job! Fish and chips, 100 percent yummy.',
      removed: ['🎉', '你', '好', '\u0007'],
    });
    expect(speakableText('😀😀')).toEqual({ text: '', removed: ['😀', '😀'] });
  });
});

describe('splitEnglishClauses', () => {
  it('breaks at sentence ends and at commas after a few words, keeping short openers whole', () => {
    expect(splitEnglishClauses("Okay, sweetie, time for bed. After your bath, we'll read a story!")).toEqual([
      { text: 'Okay, sweetie, time for bed.', endsSentence: true },
      { text: 'After your bath,', endsSentence: false },
      { text: "we'll read a story!", endsSentence: true },
    ]);
    expect(splitEnglishClauses('no punctuation at all')).toEqual([
      { text: 'no punctuation at all', endsSentence: true },
    ]);
    expect(splitEnglishClauses('... !! ,')).toEqual([]);
  });
});

describe('applyLexicon', () => {
  it('prefers the longest entry where several match', () => {
    expect(applyLexicon('Mei Lin and Mei', { Mei: 'MAY', 'Mei Lin': 'MAY-lin' })).toBe('MAY-lin and MAY');
  });

  it('replaces whole words, any case, leaving parts of other words alone', () => {
    expect(applyLexicon('Xiaoming and xiaoming, not Xiaomingz.', { Xiaoming: 'Shyow-ming' })).toBe(
      'Shyow-ming and Shyow-ming, not Xiaomingz.',
    );
  });
});

describe('TtsStream', () => {
  it('yields the first clause before the rest is synthesised, with child-directed pauses', async () => {
    const synth = new ToneSynthesizerDouble(30);
    const stream = new TtsStream(synth, delivery);
    const started = performance.now();
    stream.push('Time for your bath, little one, and then we will read. Okay?');
    stream.end();
    const chunks: Array<TtsChunk & { atMs: number; saidSoFar: number }> = [];
    for await (const chunk of stream)
      chunks.push({ ...chunk, atMs: performance.now() - started, saidSoFar: synth.said.length });
    expect(chunks.map((c) => c.clause)).toEqual(['Time for your bath,', 'little one, and then we will read.', 'Okay?']);
    expect(chunks.map((c) => c.pauseAfterMs)).toEqual([250, 450, 450]);
    // The first chunk came after one clause's synthesis, not after all three.
    expect(chunks[0]?.saidSoFar).toBeLessThan(3);
    expect(chunks[0]?.atMs).toBeLessThan(chunks[2]?.atMs ?? 0);
    expect(chunks[0]?.samples.length).toBe(4 * 800);
    expect(synth.said[0]?.voice.rate).toBe(0.85);
  });

  it('takes text clause by clause as it arrives', async () => {
    const synth = new ToneSynthesizerDouble(1);
    const stream = new TtsStream(synth, delivery);
    const iterator = stream[Symbol.asyncIterator]();
    stream.push('Good morning,');
    expect((await iterator.next()).value?.clause).toBe('Good morning,');
    stream.push('sunshine.');
    stream.end();
    expect((await iterator.next()).value?.clause).toBe('sunshine.');
    expect((await iterator.next()).done).toBe(true);
  });

  it('cancel (barge-in) stops after the clause in progress and ends iteration with TtsCancelledError', async () => {
    const synth = new ToneSynthesizerDouble(20);
    const stream = new TtsStream(synth, delivery);
    stream.push('One clause here, two clause there, three clause more, four clause done.');
    stream.end();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    stream.cancel();
    await expect(iterator.next()).rejects.toBeInstanceOf(TtsCancelledError);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(synth.said.length).toBeLessThanOrEqual(2);
    expect(() => stream.push('more')).toThrow(/after end\(\) or cancel\(\)/);
  });

  it('reports an engine failure to the reader, and cleans text before the engine', async () => {
    const failing = new TtsStream(new ToneSynthesizerDouble(1), {
      ...delivery,
      voice: { ...delivery.voice, voiceName: 'nope' },
    });
    failing.push('Hello there.');
    failing.end();
    await expect(failing.collect()).rejects.toThrow(/no voice nope; try: tone/);
    expect(() => failing.push('More.')).toThrow(/no voice nope/);

    const synth = new ToneSynthesizerDouble(1);
    const stream = new TtsStream(synth, { ...delivery, lexicon: { Mimi: 'Mee-mee' } });
    stream.push('Mimi 🐱 says 你好 hi.');
    stream.end();
    const { samples, sampleRateHz } = await stream.collect();
    expect(synth.said.map((s) => s.text)).toEqual(['Mee-mee says hi.']);
    expect(samples.length).toBe(3 * 800);
    expect(sampleRateHz).toBe(16000);
  });

  it('a reader that stops early stops the synthesis', async () => {
    const synth = new ToneSynthesizerDouble(10);
    const stream = new TtsStream(synth, delivery);
    stream.push('First clause here, second clause there, third clause more, fourth clause done.');
    stream.end();
    for await (const _chunk of stream) break;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(synth.said.length).toBeLessThanOrEqual(2);
  });
});
