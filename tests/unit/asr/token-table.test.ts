import { describe, expect, it } from 'vitest';
import { ctcGreedyDecode } from '../../../pipeline/engines/asr/ctc-greedy.js';
import { TokenTable, TokenTableError } from '../../../pipeline/engines/asr/token-table.js';

const SENTENCEPIECE_TABLE = [
  '<blank> 0',
  '<unk> 1',
  '▁hello 2',
  'wor 3',
  'ld 4',
  '我 5',
  '想 6',
  '<0xE4> 7',
  '<0xBD> 8',
  '<0xA0> 9',
  '▁ok 10',
].join('\n');

describe('TokenTable', () => {
  it('joins sentencepiece pieces: ▁ starts a word, CJK characters stay together, byte pieces form UTF-8', () => {
    const table = TokenTable.fromLines(SENTENCEPIECE_TABLE, 'test tokens');
    expect(table.size).toBe(11);
    expect(table.decode([2, 3, 4])).toBe('helloworld');
    expect(table.decode([2, 10])).toBe('hello ok');
    expect(table.decode([5, 6])).toBe('我想');
    // 你 is E4 BD A0 in UTF-8.
    expect(table.decode([5, 7, 8, 9, 6])).toBe('我你想');
  });

  it('joins BPE pieces with "@@" continuations (Paraformer) and keeps CJK unspaced', () => {
    const table = TokenTable.fromLines(
      ['<blank> 0', '你 1', '好 2', 'hel@@ 3', 'lo 4', 'world 5'].join('\n'),
      't',
      'bpe-continuation',
    );
    expect(table.decode([1, 2, 3, 4, 5])).toBe('你好hello world');
    expect(table.decode([3, 4, 1, 2])).toBe('hello 你好');
  });

  it('names the line of a malformed table', () => {
    expect(() => TokenTable.fromLines('a 0\nb\n', 'tokens.txt')).toThrow(/tokens.txt line 2: expected "<piece> <id>"/);
    expect(() => TokenTable.fromLines('a 0\nb 0\n', 'tokens.txt')).toThrow(TokenTableError);
    expect(() => TokenTable.fromLines('a 0\nc 2\n', 'tokens.txt')).toThrow(/no piece for id 1/);
    expect(() => TokenTable.fromLines('', 'tokens.txt')).toThrow(/holds no tokens/);
  });
});

describe('ctcGreedyDecode', () => {
  /** One-hot logits for a frame-by-frame best path. */
  function logitsFor(path: number[], vocabSize: number): Float32Array {
    const logits = new Float32Array(path.length * vocabSize).fill(-5);
    path.forEach((token, frame) => {
      logits[frame * vocabSize + token] = 3;
    });
    return logits;
  }

  it('collapses repeats, drops blanks, keeps a repeat separated by a blank', () => {
    const path = [0, 5, 5, 0, 6, 6, 6, 0, 6, 0, 0, 2];
    expect(ctcGreedyDecode(logitsFor(path, 11), path.length, 11, 0)).toEqual([5, 6, 6, 2]);
  });

  it('known logits decode to known text', () => {
    const table = TokenTable.fromLines(SENTENCEPIECE_TABLE, 't');
    const path = [0, 5, 5, 0, 0, 6, 0, 2, 2, 0, 10];
    expect(table.decode(ctcGreedyDecode(logitsFor(path, 11), path.length, 11, 0))).toBe('我想 hello ok');
  });

  it('refuses logits too short for the frame count', () => {
    expect(() => ctcGreedyDecode(new Float32Array(10), 3, 11, 0)).toThrow(/cannot hold 3 frames/);
  });
});
