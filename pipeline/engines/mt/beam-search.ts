/**
 * Beam search over an autoregressive decoder, for small beams (2–4).
 *
 * transformers.js 4.3.1 does not do beam search: `generate({ num_beams: k })` builds a
 * BeamSearchSampler that returns k candidates per step, but its generation loop keeps
 * only the first of them (`// TODO: Support beam search` … `break`), so k > 1 decodes
 * greedily. Hence this module, which drives the decoder itself through `DecoderStepper`
 * (the encoder runs once; each step feeds one token per live hypothesis and the stepper
 * carries the key/value cache, reordering it when hypotheses are re-ranked).
 *
 * The search follows Hugging Face's BeamSearchScorer with `early_stopping: false`:
 * - each step scores every live hypothesis × token as cumulative log-probability, keeps
 *   the best 2k candidates; an eos among the best k closes a hypothesis, the best k
 *   others stay live;
 * - a closed hypothesis is scored with length normalisation, sum log p / length^α
 *   (`lengthPenalty` α, default 1: the average log-probability per token; length counts
 *   the generated tokens including eos);
 * - the search ends when k hypotheses are closed and no live one can still beat the worst
 *   of them (judged by its current normalised score, the same heuristic as HF's), or at
 *   `maxNewTokens`, where eos is forced (HF's ForcedEOSTokenLogitsProcessor);
 * - `suppressTokenIds` never appear (Marian's `bad_words_ids`: the pad token); log-
 *   probabilities are renormalised after suppression (`renormalize_logits`).
 */

/** One decoder step for a set of hypotheses. */
export interface DecoderStepper {
  /** Rows of the logits `step` returns. */
  readonly vocabSize: number;
  /**
   * Feeds `tokens[i]` to hypothesis i, which continues the decoder state of row
   * `parents[i]` of the previous call (on the first call: `tokens` is the start token and
   * `parents` is `[0]`). Resolves with the next-token logits, `tokens.length` rows of
   * `vocabSize`, row-major.
   */
  step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array>;
}

export interface BeamSearchOptions {
  beamWidth: number;
  startTokenId: number;
  eosTokenId: number;
  /** Most tokens to generate, eos included (eos is forced at this length). */
  maxNewTokens: number;
  /** α in score = Σ log p / length^α (default 1). */
  lengthPenalty?: number;
  suppressTokenIds?: readonly number[];
  signal?: AbortSignal;
}

export interface BeamHypothesis {
  /** Generated tokens, without the start token and without eos. */
  tokens: number[];
  /** Σ log p over the generated tokens, eos included. */
  logProb: number;
  /** logProb / length^α. */
  score: number;
}

interface LiveBeam {
  tokens: number[];
  logProb: number;
}

interface Candidate {
  row: number;
  token: number;
  logProb: number;
}

/** log-softmax of one logits row, with suppressed tokens (or all but `onlyToken`) at -Infinity. */
function logSoftmaxRow(
  logits: Float32Array,
  offset: number,
  vocabSize: number,
  suppressed: ReadonlySet<number>,
  onlyToken: number | undefined,
  out: Float64Array,
): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let token = 0; token < vocabSize; token++) {
    const allowed = onlyToken === undefined ? !suppressed.has(token) : token === onlyToken;
    const value = allowed ? (logits[offset + token] as number) : Number.NEGATIVE_INFINITY;
    out[token] = value;
    if (value > max) max = value;
  }
  let sum = 0;
  for (let token = 0; token < vocabSize; token++) sum += Math.exp((out[token] as number) - max);
  const logZ = max + Math.log(sum);
  for (let token = 0; token < vocabSize; token++) out[token] = (out[token] as number) - logZ;
}

/** The `count` best tokens of a row (ties: lower id first), finite log-probabilities only. */
function topTokens(logProbs: Float64Array, vocabSize: number, count: number): number[] {
  const best: number[] = [];
  for (let token = 0; token < vocabSize; token++) {
    const value = logProbs[token] as number;
    if (value === Number.NEGATIVE_INFINITY) continue;
    if (best.length === count && value <= (logProbs[best[count - 1] as number] as number)) continue;
    let at = best.length;
    while (at > 0 && (logProbs[best[at - 1] as number] as number) < value) at--;
    best.splice(at, 0, token);
    if (best.length > count) best.pop();
  }
  return best;
}

export async function beamSearch(stepper: DecoderStepper, options: BeamSearchOptions): Promise<BeamHypothesis[]> {
  const { beamWidth, eosTokenId, maxNewTokens, signal } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1) throw new RangeError(`beamWidth must be ≥ 1, got ${beamWidth}`);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1)
    throw new RangeError(`maxNewTokens must be ≥ 1, got ${maxNewTokens}`);
  const lengthPenalty = options.lengthPenalty ?? 1;
  const suppressed = new Set(options.suppressTokenIds ?? []);
  suppressed.delete(eosTokenId);
  const normalised = (logProb: number, length: number): number => logProb / length ** lengthPenalty;
  const { vocabSize } = stepper;
  const logProbs = new Float64Array(vocabSize);

  let live: LiveBeam[] = [{ tokens: [], logProb: 0 }];
  let inputs: number[] = [options.startTokenId];
  let parents: number[] = [0];
  const finished: BeamHypothesis[] = [];

  const close = (hypothesis: BeamHypothesis): void => {
    finished.push(hypothesis);
    finished.sort((a, b) => b.score - a.score);
    if (finished.length > beamWidth) finished.pop();
  };

  for (let step = 0; ; step++) {
    signal?.throwIfAborted();
    const logits = await stepper.step(inputs, parents);
    signal?.throwIfAborted();
    if (logits.length < live.length * vocabSize)
      throw new Error(`decoder returned ${logits.length} logits for ${live.length} rows of ${vocabSize}`);
    const forceEos = step + 1 >= maxNewTokens;

    const candidates: Candidate[] = [];
    live.forEach((beam, row) => {
      logSoftmaxRow(logits, row * vocabSize, vocabSize, suppressed, forceEos ? eosTokenId : undefined, logProbs);
      for (const token of topTokens(logProbs, vocabSize, 2 * beamWidth))
        candidates.push({ row, token, logProb: beam.logProb + (logProbs[token] as number) });
    });
    candidates.sort((a, b) => b.logProb - a.logProb || a.row - b.row || a.token - b.token);

    const next: Candidate[] = [];
    for (const [rank, candidate] of candidates.slice(0, 2 * beamWidth).entries()) {
      if (candidate.token === eosTokenId) {
        if (rank >= beamWidth) continue;
        const tokens = (live[candidate.row] as LiveBeam).tokens;
        close({
          tokens: [...tokens],
          logProb: candidate.logProb,
          score: normalised(candidate.logProb, tokens.length + 1),
        });
      } else {
        next.push(candidate);
        if (next.length === beamWidth) break;
      }
    }

    if (next.length === 0 || forceEos) break;
    if (finished.length >= beamWidth) {
      const worstFinished = (finished[finished.length - 1] as BeamHypothesis).score;
      const bestLive = Math.max(...next.map((c) => normalised(c.logProb, (live[c.row] as LiveBeam).tokens.length + 1)));
      if (worstFinished >= bestLive) break;
    }

    live = next.map((candidate) => ({
      tokens: [...(live[candidate.row] as LiveBeam).tokens, candidate.token],
      logProb: candidate.logProb,
    }));
    inputs = next.map((candidate) => candidate.token);
    parents = next.map((candidate) => candidate.row);
  }

  if (finished.length === 0) {
    // Only reachable when every candidate was suppressed: return the best live prefix.
    const best = live[0] as LiveBeam;
    return [
      { tokens: best.tokens, logProb: best.logProb, score: normalised(best.logProb, Math.max(1, best.tokens.length)) },
    ];
  }
  return finished;
}
