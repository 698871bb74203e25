import { HushError } from '../errors/index.js';
import { pairwiseSum } from './pairwise-sum.js';
import { sortedQuantile } from './quantile.js';
import { sortedSample, type Sample } from './validate.js';

/** Options of {@link populationStabilityIndex}. */
export interface PsiOptions {
  /**
   * Number of reference-quantile bins; ties in the reference may merge edges and leave fewer.
   * @defaultValue 10
   */
  bins?: number;
  /**
   * Floor applied to every bin share before the logarithm, so an empty bin adds a large but finite term.
   * @defaultValue 1e-4
   */
  epsilon?: number;
}

/** Result of {@link populationStabilityIndex}. */
export interface PsiResult {
  /** Σ (c − r)·ln(c / r) over bins, on floored shares. */
  psi: number;
  /** Interior bin edges (ascending, distinct); bin i is [edges[i−1], edges[i]) with open outer ends. */
  edges: number[];
  /** Share of the reference in each bin, before the floor. */
  referenceShares: number[];
  /** Share of the current sample in each bin, before the floor. */
  currentShares: number[];
}

const DEFAULTS: Required<PsiOptions> = { bins: 10, epsilon: 1e-4 };

/**
 * Population Stability Index of `current` against `reference`. Edges are the reference quantiles at
 * i/bins (i = 1 … bins−1; `numpy.quantile` linear / type 7), duplicates removed; the outer bins are
 * open so current values outside the reference range still count. Shares are floored at `epsilon`.
 */
export function populationStabilityIndex(reference: Sample, current: Sample, options: PsiOptions = {}): PsiResult {
  const { bins, epsilon } = { ...DEFAULTS, ...options };
  if (!Number.isInteger(bins) || bins < 2) throw new HushError('HUSH_ERR_VALIDATION', `bins must be an integer ≥ 2, got ${bins}`);
  if (!(epsilon > 0 && epsilon < 1)) throw new HushError('HUSH_ERR_VALIDATION', `epsilon must be in (0, 1), got ${epsilon}`);
  const ref = sortedSample('reference', reference);
  const cur = sortedSample('current', current);

  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = sortedQuantile(ref, i / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]!) edges.push(edge);
  }
  const referenceShares = shares(ref, edges);
  const currentShares = shares(cur, edges);
  const terms = referenceShares.map((r, i) => {
    const rf = Math.max(r, epsilon);
    const cf = Math.max(currentShares[i]!, epsilon);
    return (cf - rf) * Math.log(cf / rf);
  });
  return { psi: pairwiseSum(terms), edges, referenceShares, currentShares };
}

/** Share of a sorted sample in each bin [edges[i−1], edges[i]). */
function shares(sorted: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (const value of sorted) {
    while (bin < edges.length && value >= edges[bin]!) bin++;
    counts[bin]!++;
  }
  return counts.map((c) => c / sorted.length);
}
