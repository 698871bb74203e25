import { regularizedBeta } from './incomplete-beta.js';
import { assertBinomialCounts, assertOpenUnit } from './validate.js';

/** P(X ≤ k) for X ~ Binomial(n, p), exactly (through I_{1−p}(n − k, k + 1)); scipy's `binom.cdf`. */
export function binomialCdf(k: number, n: number, p: number): number {
  assertBinomialCounts(k, n);
  assertOpenUnit('p', p);
  if (k === n) return 1;
  return regularizedBeta(1 - p, n - k, k + 1);
}

/** P(X ≥ k) for X ~ Binomial(n, p), exactly (through I_p(k, n − k + 1)); scipy's `binom.sf(k − 1, n, p)`. */
export function binomialUpperTail(k: number, n: number, p: number): number {
  assertBinomialCounts(k, n);
  assertOpenUnit('p', p);
  if (k === 0) return 1;
  return regularizedBeta(p, k, n - k + 1);
}
