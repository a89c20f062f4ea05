/**
 * A Kokoro voice: its style vectors, float32 [510, 1, 256] little-endian in a `.bin`
 * (how kokoro-js and the onnx-community export ship `voices/<name>.bin`). Row n is the
 * style for an input of n + 1 phonemes: upstream Kokoro's pipeline takes
 * `pack[len(phonemes) - 1]`, clamped here to the last row.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

export const KOKORO_STYLE_DIM = 256;
export const KOKORO_STYLE_ROWS = 510;

export class KokoroVoice {
  private constructor(
    readonly name: string,
    private readonly rows: Float32Array,
    readonly rowCount: number,
  ) {}

  static fromBytes(name: string, bytes: Uint8Array, where = name): KokoroVoice {
    const rowBytes = KOKORO_STYLE_DIM * Float32Array.BYTES_PER_ELEMENT;
    if (bytes.byteLength === 0 || bytes.byteLength % rowBytes !== 0)
      throw new Error(
        `${where} is not a Kokoro voice: ${bytes.byteLength} bytes is not a whole number of ${KOKORO_STYLE_DIM}-float style rows ` +
          `(expected ${KOKORO_STYLE_ROWS} × ${rowBytes} = ${KOKORO_STYLE_ROWS * rowBytes})`,
      );
    // Copy into an aligned buffer: the file's bytes may sit at any offset of a pooled Buffer.
    const rows = new Float32Array(bytes.byteLength / Float32Array.BYTES_PER_ELEMENT);
    new Uint8Array(rows.buffer).set(bytes);
    return new KokoroVoice(name, rows, rows.length / KOKORO_STYLE_DIM);
  }

  /** Reads `<name>.bin`; the voice is named after the file. */
  static async read(path: string): Promise<KokoroVoice> {
    return KokoroVoice.fromBytes(basename(path).replace(/\.bin$/, ''), await readFile(path), path);
  }

  /** Index of the style row for an input of `phonemeCount` phonemes (pads not counted). */
  rowFor(phonemeCount: number): number {
    return Math.min(Math.max(phonemeCount - 1, 0), this.rowCount - 1);
  }

  /** The [1, 256] style for an input of `phonemeCount` phonemes (a view, not a copy). */
  styleFor(phonemeCount: number): Float32Array {
    const row = this.rowFor(phonemeCount);
    return this.rows.subarray(row * KOKORO_STYLE_DIM, (row + 1) * KOKORO_STYLE_DIM);
  }
}
