/**
 * Quantile of an ascending-sorted sample by linear interpolation between order statistics
 * (Hyndman & Fan type 7), computed with the same floating-point steps as `numpy.quantile`'s default
 * `method='linear'` so that edges which land on a data point are bit-identical.
 */
export function sortedQuantile(sorted: Float64Array, probability: number): number {
  const n = sorted.length;
  const index = (n - 1) * probability;
  if (index >= n - 1) return sorted[n - 1]!;
  if (index <= 0) return sorted[0]!;
  const below = Math.floor(index);
  const t = index - below;
  const a = sorted[below]!;
  const b = sorted[below + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
