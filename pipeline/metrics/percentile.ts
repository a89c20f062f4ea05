/** Nearest-rank percentile of values sorted ascending (`fraction` in 0..1); NaN when empty. */
export function percentile(sortedValues: ArrayLike<number>, fraction: number): number {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.max(0, Math.ceil(fraction * sortedValues.length) - 1));
  return sortedValues[index] as number;
}
