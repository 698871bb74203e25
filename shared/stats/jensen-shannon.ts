import { HushError } from '../errors/index.js';
import { pairwiseSum } from './pairwise-sum.js';
import { assertCounts, assertSameLength, type Sample } from './validate.js';

/** Options of {@link jensenShannonDistance}. */
export interface JensenShannonOptions {
  /**
   * Logarithm base. Base 2 bounds the distance to [0, 1]; scipy's own default is e.
   * @defaultValue 2
   */
  base?: number;
}

/**
 * Jensen–Shannon distance √(JS divergence) between two frequency vectors over the same categories,
 * equal to `scipy.spatial.distance.jensenshannon(p, q, base)`. Inputs are counts or shares; each is
 * normalised to sum to 1. Evidently applies it to category frequency vectors.
 */
export function jensenShannonDistance(p: Sample, q: Sample, options: JensenShannonOptions = {}): number {
  const base = options.base ?? 2;
  if (!(base > 0 && base !== 1 && Number.isFinite(base))) {
    throw new HushError('HUSH_ERR_VALIDATION', `base must be a positive number other than 1, got ${base}`);
  }
  assertCounts('p', p);
  assertCounts('q', q);
  assertSameLength('p', p, 'q', q);
  const pTotal = pairwiseSum(p);
  const qTotal = pairwiseSum(q);
  const left = new Float64Array(p.length);
  const right = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / pTotal;
    const qi = q[i]! / qTotal;
    const mi = (pi + qi) / 2;
    left[i] = relativeEntropy(pi, mi);
    right[i] = relativeEntropy(qi, mi);
  }
  const divergence = (pairwiseSum(left) + pairwiseSum(right)) / Math.log(base);
  return Math.sqrt(divergence / 2);
}

/** x·ln(x/y), with 0·ln(0/y) = 0 (scipy's `rel_entr` for the non-negative inputs used here). */
function relativeEntropy(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}
