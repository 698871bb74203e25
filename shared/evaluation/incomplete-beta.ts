import { logGamma } from '../stats/log-gamma.js';

const EPS = 1e-16;
const TINY = 1e-300;
/** Lentz's fraction converges in O(√max(a, b)) steps; this cap is far beyond any count Hush sees. */
const MAX_ITERATIONS = 1_000_000;
/** Bisection stops once the bracket is this small relative to the root (the CDF itself is good to ≈1e-12). */
const RELATIVE_TOLERANCE = 1e-15;
const MAX_BISECTIONS = 2_000;

/**
 * Regularized incomplete beta I_x(a, b) (scipy's `betainc`), for a, b > 0 and 0 ≤ x ≤ 1: the continued
 * fraction of DLMF 8.17.22 evaluated by Lentz's method, on whichever of x or 1 − x converges fast.
 * Returns NaN outside the domain.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * continuedFraction(1 - x, b, a)) / b;
}

/**
 * The x in [0, 1] with I_x(a, b) = y (scipy's `betaincinv`, i.e. `beta.ppf(y, a, b)`), by bisection:
 * I_x is increasing in x, so bisection always converges, to a relative precision of 1e-15.
 */
export function inverseRegularizedBeta(y: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(y >= 0 && y <= 1)) return Number.NaN;
  if (y === 0) return 0;
  if (y === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < MAX_BISECTIONS && hi - lo > RELATIVE_TOLERANCE * hi; i++) {
    const mid = lo + (hi - lo) / 2;
    if (mid === lo || mid === hi) break;
    if (regularizedBeta(mid, a, b) < y) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/** 1/(1 + d1/(1 + d2/(1 + …))) with the even and odd coefficients d_{2m}, d_{2m+1} of I_x(a, b). */
function continuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let f = d;
  for (let m = 1; m < MAX_ITERATIONS; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + even / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    f *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + odd / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < EPS) break;
  }
  return f;
}
