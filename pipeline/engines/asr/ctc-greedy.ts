/**
 * Greedy CTC search: the best token of each output frame, repeats collapsed, blanks
 * dropped. Logits are one utterance's `[frames, vocab]` rows.
 */
export function argmaxRow(logits: Float32Array, row: number, vocabSize: number): number {
  const start = row * vocabSize;
  let best = 0;
  let bestValue = logits[start] as number;
  for (let v = 1; v < vocabSize; v++) {
    const value = logits[start + v] as number;
    if (value > bestValue) {
      bestValue = value;
      best = v;
    }
  }
  return best;
}

export function ctcGreedyDecode(
  logits: Float32Array,
  frameCount: number,
  vocabSize: number,
  blankId: number,
): number[] {
  if (logits.length < frameCount * vocabSize) {
    throw new RangeError(`CTC: ${logits.length} logits cannot hold ${frameCount} frames × ${vocabSize} tokens`);
  }
  const tokens: number[] = [];
  let previous = -1;
  for (let frame = 0; frame < frameCount; frame++) {
    const best = argmaxRow(logits, frame, vocabSize);
    if (best !== blankId && best !== previous) tokens.push(best);
    previous = best;
  }
  return tokens;
}
