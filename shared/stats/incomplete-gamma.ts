import { logGamma } from './log-gamma.js';

const EPS = 1e-16;
const MAX_ITERATIONS = 100_000;
const TINY = 1e-300;
/** Below this log the prefactor underflows and cephes' `igamc`, hence scipy, returns exactly 0. */
const MIN_LOG = -708.3964185322641;

/**
 * Regularized upper incomplete gamma Q(a, x) = Γ(a, x)/Γ(a) (scipy's `gammaincc`): a power series for
 * P = 1 − Q when x < a + 1, otherwise Lentz's continued fraction for Q, which keeps tiny upper tails
 * accurate to relative precision.
 */
export function regularizedUpperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefactor = -x + a * Math.log(x) - logGamma(a);
  if (logPrefactor < MIN_LOG) return 0;
  if (x < a + 1) return 1 - lowerSeries(a, x, logPrefactor);
  return upperContinuedFraction(a, x, logPrefactor);
}

function lowerSeries(a: number, x: number, logPrefactor: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(logPrefactor);
}

function upperContinuedFraction(a: number, x: number, logPrefactor: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefactor) * h;
}
