/**
 * Beam search with known next-token probabilities (a table keyed by the hypothesis's
 * history), where greedy decoding and beam search disagree.
 */
import { describe, expect, it } from 'vitest';
import { beamSearch, type DecoderStepper } from '../../../pipeline/engines/mt/beam-search.js';

const VOCAB = 8;
const START = 7;
const EOS = 0;
const [A, B, C, D, X] = [1, 2, 3, 4, 5] as const;

/**
 * TEST DOUBLE. A decoder whose next-token distribution depends on the whole history
 * (start token first); histories not in the table end with eos. It keeps per-row
 * histories the way a KV cache is kept: reordered by `parents` on each step.
 */
class TableStepper implements DecoderStepper {
  readonly vocabSize = VOCAB;
  readonly calls: Array<{ tokens: number[]; parents: number[] }> = [];
  private rows: number[][] = [];

  constructor(private readonly table: Record<string, Record<number, number>>) {}

  async step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array> {
    this.calls.push({ tokens: [...tokens], parents: [...parents] });
    this.rows =
      this.rows.length === 0
        ? [[...tokens]]
        : tokens.map((token, row) => [...(this.rows[parents[row] as number] as number[]), token]);
    const logits = new Float32Array(tokens.length * VOCAB).fill(-1e9);
    this.rows.forEach((history, row) => {
      const probabilities = this.table[history.join(',')] ?? { [EOS]: 1 };
      for (const [token, p] of Object.entries(probabilities)) logits[row * VOCAB + Number(token)] = Math.log(p);
    });
    return logits;
  }
}

const key = (...tokens: number[]) => [START, ...tokens].join(',');

/** Greedy prefers A (0.6) but every continuation of A is unsure; B then C is nearly certain. */
const TABLE: Record<string, Record<number, number>> = {
  [key()]: { [A]: 0.6, [B]: 0.4 },
  [key(A)]: { [C]: 0.55, [D]: 0.45 },
  [key(B)]: { [C]: 0.9, [EOS]: 0.1 },
  [key(A, C)]: { [EOS]: 0.6, [X]: 0.4 },
  [key(A, D)]: { [EOS]: 0.5, [X]: 0.5 },
  [key(B, C)]: { [EOS]: 0.95, [X]: 0.05 },
};

const search = (beamWidth: number, extra: Partial<Parameters<typeof beamSearch>[1]> = {}) =>
  beamSearch(new TableStepper(TABLE), { beamWidth, startTokenId: START, eosTokenId: EOS, maxNewTokens: 10, ...extra });

describe('beamSearch', () => {
  it('with width 1 follows the most likely token each step (greedy): A C', async () => {
    const [best] = await search(1);
    expect(best?.tokens).toEqual([A, C]);
    expect(best?.logProb).toBeCloseTo(Math.log(0.6 * 0.55 * 0.6), 6);
    expect(best?.score).toBeCloseTo(Math.log(0.6 * 0.55 * 0.6) / 3, 6);
  });

  it('with widths 2–4 finds B C, whose length-normalised score is higher', async () => {
    for (const width of [2, 3, 4]) {
      const hypotheses = await search(width);
      expect(hypotheses[0]?.tokens, `width ${width}`).toEqual([B, C]);
      expect(hypotheses[0]?.score).toBeCloseTo(Math.log(0.4 * 0.9 * 0.95) / 3, 6);
      expect(hypotheses.length).toBeLessThanOrEqual(width);
      for (let i = 1; i < hypotheses.length; i++)
        expect(hypotheses[i - 1]?.score).toBeGreaterThanOrEqual(hypotheses[i]?.score as number);
    }
  });

  it('reorders the decoder state by parent: B C is row 0 on the third step, continuing row 1', async () => {
    const stepper = new TableStepper(TABLE);
    await beamSearch(stepper, { beamWidth: 2, startTokenId: START, eosTokenId: EOS, maxNewTokens: 10 });
    expect(stepper.calls.slice(0, 3)).toEqual([
      { tokens: [START], parents: [0] },
      { tokens: [A, B], parents: [0, 0] },
      { tokens: [C, C], parents: [1, 0] },
    ]);
  });

  it('length normalisation decides between a short and a long hypothesis', async () => {
    // Stop now (p = 0.5) or go on through three near-certain tokens.
    const table: Record<string, Record<number, number>> = {
      [key()]: { [EOS]: 0.5, [A]: 0.5 },
      [key(A)]: { [B]: 0.99, [EOS]: 0.01 },
      [key(A, B)]: { [C]: 0.99, [EOS]: 0.01 },
      [key(A, B, C)]: { [EOS]: 0.99, [X]: 0.01 },
    };
    const run = (lengthPenalty: number) =>
      beamSearch(new TableStepper(table), {
        beamWidth: 2,
        startTokenId: START,
        eosTokenId: EOS,
        maxNewTokens: 10,
        lengthPenalty,
      });
    expect((await run(1))[0]?.tokens).toEqual([A, B, C]);
    expect((await run(0))[0]?.tokens).toEqual([]);
  });

  it('forces eos at maxNewTokens and never emits a suppressed token', async () => {
    const loop = { [key()]: { [A]: 0.5, [B]: 0.5 } } as Record<string, Record<number, number>>;
    for (let i = 0; i < 10; i++) loop[key(...Array<number>(i + 1).fill(A))] = { [A]: 0.9, [EOS]: 0.1 };
    const hypotheses = await beamSearch(new TableStepper(loop), {
      beamWidth: 2,
      startTokenId: START,
      eosTokenId: EOS,
      maxNewTokens: 4,
      suppressTokenIds: [B],
    });
    for (const hypothesis of hypotheses) {
      expect(hypothesis.tokens.length).toBeLessThanOrEqual(3);
      expect(hypothesis.tokens).not.toContain(B);
    }
  });

  it('stops with the signal, rejecting with its reason', async () => {
    const controller = new AbortController();
    const stepper = new TableStepper(TABLE);
    const original = stepper.step.bind(stepper);
    stepper.step = async (tokens, parents) => {
      if (stepper.calls.length === 1) controller.abort(new Error('barge-in'));
      return original(tokens, parents);
    };
    await expect(
      beamSearch(stepper, {
        beamWidth: 2,
        startTokenId: START,
        eosTokenId: EOS,
        maxNewTokens: 10,
        signal: controller.signal,
      }),
    ).rejects.toThrow('barge-in');
    expect(stepper.calls.length).toBe(2);
  });

  it('refuses a width or budget below 1', async () => {
    await expect(search(0)).rejects.toThrow(RangeError);
    await expect(search(2, { maxNewTokens: 0 })).rejects.toThrow(RangeError);
  });
});
