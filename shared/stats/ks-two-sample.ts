import { kolmogorovSf } from './kolmogorov-distribution.js';
import { exactKsTwoSided } from './ks-two-sample-exact.js';
import { roundHalfEven } from './round-half-even.js';
import { sortedSample, type Sample } from './validate.js';

/** Largest sample size for which the p-value is computed exactly, as in scipy's `method='auto'`. */
export const KS_EXACT_MAX_N = 10_000;

/** Result of {@link ksTwoSample}. */
export interface KsTwoSampleResult {
  /** D = sup |F1 − F2|; in the exact regime rounded to the lattice 1/lcm(n1, n2), as scipy does. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Which p-value computation was used; `asymptotic` also when the exact recursion failed. */
  method: 'exact' | 'asymptotic';
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, equal to
 * `scipy.stats.ks_2samp(reference, current, method='auto')`: exact p-value when
 * max(n1, n2) ≤ 10,000, otherwise `kstwo.sf(D, round(n1·n2/(n1+n2)))`, and the asymptotic value
 * whenever the exact one is not a probability. Throws `HUSH_ERR_VALIDATION` on empty or non-finite input.
 */
export function ksTwoSample(reference: Sample, current: Sample): KsTwoSampleResult {
  const a = sortedSample('reference', reference);
  const b = sortedSample('current', current);
  const n1 = a.length;
  const n2 = b.length;
  const d = ksStatistic(a, b);
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N) {
    const exact = exactKsTwoSided(n1, n2, d);
    if (exact.pValue !== undefined) return { statistic: exact.statistic, pValue: exact.pValue, method: 'exact' };
    return { statistic: exact.statistic, pValue: asymptoticPValue(n1, n2, exact.statistic), method: 'asymptotic' };
  }
  return { statistic: d, pValue: asymptoticPValue(n1, n2, d), method: 'asymptotic' };
}

/** sup over the pooled values of |F1 − F2|, both ECDFs right-continuous so ties are handled. */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < a.length || j < b.length) {
    const value = Math.min(a[i] ?? Infinity, b[j] ?? Infinity);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    const diff = i / a.length - j / b.length;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return Math.max(maxDiff, -minDiff);
}

function asymptoticPValue(n1: number, n2: number, d: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  return kolmogorovSf(roundHalfEven((m * n) / (m + n)), d);
}
