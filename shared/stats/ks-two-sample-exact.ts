import { roundHalfEven } from './round-half-even.js';

/** The exact two-sided p-value of a two-sample KS statistic, with the statistic snapped to the lattice. */
export interface ExactKsResult {
  /** `D` rounded to the nearest multiple of 1/lcm(n1, n2), as scipy reports it. */
  statistic: number;
  /** `P(D ≥ statistic)` under H0, or `undefined` when the recursion lost precision. */
  pValue: number | undefined;
}

/**
 * Exact `P(D_{n1,n2} ≥ d)` by lattice-path counting, the algorithm scipy's `ks_2samp(method='exact')`
 * uses: Hodges' reflection sum for n1 = n2, otherwise the "inside" recursion rewritten by Viehmann
 * (arXiv:2102.08037) to carry 1 − p, which stays accurate for tiny p-values.
 */
export function exactKsTwoSided(n1: number, n2: number, d: number): ExactKsResult {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return { statistic, pValue: p >= 0 && p <= 1 ? p : undefined };
}

/**
 * `P(D_{n,n} ≥ h/n)` = 2·Σ_k (−1)^(k+1) C(2n, n−kh)/C(2n, n); each ratio is built from h factors and
 * the alternating sum is nested Horner-style to avoid cancellation.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of monotone lattice paths (0,0)→(m,n) that leave the band |x·n/g − y·m/g| < h. Column by
 * column, each cell holds the probability that a path reaching it has already left the band; only a
 * sliding window of one column is kept.
 */
function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, curlen, lastlen);
  }
  return a[maxj - minj - 1]!;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
