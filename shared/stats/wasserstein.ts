import { HushError } from '../errors/index.js';
import { pairwiseSum } from './pairwise-sum.js';
import { sortedSample, type Sample } from './validate.js';

/** Options of {@link normalizedWassersteinDistance}. */
export interface NormalizedWassersteinOptions {
  /**
   * Lower bound on the reference standard deviation, so a constant reference does not divide by zero
   * (Evidently's choice).
   * @defaultValue 0.001
   */
  minStd?: number;
}

/**
 * Wasserstein-1 (earth mover's) distance between two empirical distributions, ∫|F_ref − F_cur|,
 * equal to `scipy.stats.wasserstein_distance(reference, current)` with unit weights.
 */
export function wassersteinDistance(reference: Sample, current: Sample): number {
  return distanceOfSorted(sortedSample('reference', reference), sortedSample('current', current));
}

/**
 * {@link wassersteinDistance} divided by max(std(reference), minStd), with the population standard
 * deviation (ddof = 0, `numpy.std` default), as Evidently's `wasserstein` drift method does.
 */
export function normalizedWassersteinDistance(
  reference: Sample,
  current: Sample,
  options: NormalizedWassersteinOptions = {},
): number {
  const minStd = options.minStd ?? 0.001;
  if (!(minStd > 0)) throw new HushError('HUSH_ERR_VALIDATION', `minStd must be > 0, got ${minStd}`);
  const ref = sortedSample('reference', reference);
  return distanceOfSorted(ref, sortedSample('current', current)) / Math.max(populationStd(ref), minStd);
}

/** Σ over consecutive pooled values of |F_a − F_b| · gap, as scipy's `_cdf_distance` with p = 1. */
function distanceOfSorted(a: Float64Array, b: Float64Array): number {
  const pooled = new Float64Array(a.length + b.length);
  pooled.set(a);
  pooled.set(b, a.length);
  pooled.sort();
  const terms = new Float64Array(pooled.length - 1);
  let i = 0;
  let j = 0;
  for (let k = 0; k < terms.length; k++) {
    const value = pooled[k]!;
    while (i < a.length && a[i]! <= value) i++;
    while (j < b.length && b[j]! <= value) j++;
    terms[k] = Math.abs(i / a.length - j / b.length) * (pooled[k + 1]! - value);
  }
  return pairwiseSum(terms);
}

/** `numpy.std(values)`: mean by pairwise sum, then the root of the mean squared deviation. */
function populationStd(values: Float64Array): number {
  const mean = pairwiseSum(values) / values.length;
  const squares = values.map((v) => (v - mean) ** 2);
  return Math.sqrt(pairwiseSum(squares) / values.length);
}
