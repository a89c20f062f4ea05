/**
 * A model's token table (`tokens.txt`: one "piece id" per line, as sherpa-onnx ships it)
 * and the rule for turning pieces into text (see WordStyle); "<0xHH>" pieces are raw UTF-8
 * bytes (byte fallback), and spaces between CJK characters are dropped.
 */
import { readFileSync } from 'node:fs';

export class TokenTableError extends Error {
  override readonly name = 'TokenTableError';
}

const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;
const LATIN_PIECE = /^[A-Za-z0-9']+$/;
const CJK_SPACE = /(?<=[\u3000-\u9fff\uf900-\ufaff])\s+(?=[\u3000-\u9fff\uf900-\ufaff])/g;

/**
 * How a table marks words: sentencepiece puts "▁" before a word's first piece (SenseVoice);
 * Paraformer's BPE puts "@@" after every piece of an English word but the last.
 */
export type WordStyle = 'sentencepiece' | 'bpe-continuation';

export class TokenTable {
  private constructor(
    private readonly pieces: string[],
    readonly wordStyle: WordStyle,
  ) {}

  static fromLines(text: string, source: string, wordStyle: WordStyle = 'sentencepiece'): TokenTable {
    const pieces: string[] = [];
    const lines = text.split('\n');
    lines.forEach((rawLine, index) => {
      const line = rawLine.replace(/\r$/, '');
      if (line.trim() === '') return;
      // The piece itself may be a space-like symbol, so split on the last space only.
      const cut = line.lastIndexOf(' ');
      const id = Number(line.slice(cut + 1));
      if (cut < 0 || !Number.isInteger(id) || id < 0) {
        throw new TokenTableError(`${source} line ${index + 1}: expected "<piece> <id>", got ${JSON.stringify(line)}`);
      }
      if (pieces[id] !== undefined) throw new TokenTableError(`${source} line ${index + 1}: id ${id} appears twice`);
      pieces[id] = line.slice(0, cut);
    });
    for (let id = 0; id < pieces.length; id++) {
      if (pieces[id] === undefined) throw new TokenTableError(`${source}: no piece for id ${id} (ids must be 0..N-1)`);
    }
    if (pieces.length === 0) throw new TokenTableError(`${source} holds no tokens`);
    return new TokenTable(pieces, wordStyle);
  }

  static load(path: string, wordStyle: WordStyle = 'sentencepiece'): TokenTable {
    return TokenTable.fromLines(readFileSync(path, 'utf8'), path, wordStyle);
  }

  get size(): number {
    return this.pieces.length;
  }

  piece(id: number): string {
    const piece = this.pieces[id];
    if (piece === undefined) throw new RangeError(`token id ${id} is outside the table (size ${this.pieces.length})`);
    return piece;
  }

  idOf(piece: string): number | undefined {
    const id = this.pieces.indexOf(piece);
    return id < 0 ? undefined : id;
  }

  /** Text for a sequence of token ids. */
  decode(ids: readonly number[]): string {
    let text = '';
    let pendingBytes: number[] = [];
    const flushBytes = () => {
      if (pendingBytes.length > 0) text += Buffer.from(pendingBytes).toString('utf8');
      pendingBytes = [];
    };
    for (const id of ids) {
      const piece = this.piece(id);
      const byte = BYTE_PIECE.exec(piece);
      if (byte) {
        pendingBytes.push(Number.parseInt(byte[1] as string, 16));
        continue;
      }
      flushBytes();
      if (this.wordStyle === 'sentencepiece') text += piece;
      else if (piece.endsWith('@@')) text += piece.slice(0, -2);
      else text += LATIN_PIECE.test(piece) ? `${piece} ` : piece;
    }
    flushBytes();
    return text.replaceAll('▁', ' ').replace(/\s+/g, ' ').replace(CJK_SPACE, '').trim();
  }
}
