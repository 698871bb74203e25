/** Below this log, `exp` underflows double precision (cephes' MINLOG). */
const MIN_LOG = -708.3964185322641;
/** Beyond this n scipy switches to the closed-form approximation rather than summing O(n) terms. */
const MAX_COMPUTE_N = 1_000_000;
const RESCALE_BITS = 512;
const RESCALE = 2 ** RESCALE_BITS;

/**
 * Survival function of the one-sided Kolmogorov–Smirnov statistic, `P(D⁺_n ≥ x)`, equal to
 * `scipy.special.smirnov(n, x)`: the Smirnov / Birnbaum–Tingey sum
 * `x·Σ_{v ≤ ⌊n(1−x)⌋} C(n,v)(x + v/n)^(v−1)(1 − x − v/n)^(n−v)`, with scipy's special cases. scipy sums
 * the complementary upper tail when x ≤ 0.5/√n; here the lower sum is always used (all terms are
 * positive, so the two agree to rounding).
 */
export function smirnovSf(n: number, x: number): number {
  if (n === 1) return 1 - x;
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const { floor: nxFloor, frac: alpha } = exactMultiple(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    return 1 - x * Math.exp((n - 1) * Math.log1p(x));
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return Math.exp(n * Math.log1p(-x));
  if (n > MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Terms run to v = ⌊n(1−x)⌋, except that the vanishing term at v = n(1−x) (alpha = 0) is skipped.
  const nTerms = n - nxFloor;
  let sum = 0;
  // C(n, v) kept as mantissa·2^exponent: summing logs of the ratios would lose ~n·ε over O(n) terms.
  let binomial = 1;
  let binomialExponent = 0;
  for (let v = 0; v < nTerms; v++) {
    // x + v/n and 1 − x − v/n from the exact split n·x = nxFloor + alpha, so neither loses digits.
    const up = (nxFloor + v + alpha) / n;
    const down = (n - nxFloor - v - alpha) / n;
    const logBinomial = Math.log(binomial) + binomialExponent * Math.LN2;
    const term = Math.exp(logBinomial + (v - 1) * Math.log(up) + (n - v) * Math.log(down));
    sum += term;
    if (term > 0 && 4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    if (term === 0 && v > n / 2) break;
    binomial *= (n - v) / (v + 1);
    if (binomial > RESCALE) {
      binomial /= RESCALE;
      binomialExponent += RESCALE_BITS;
    } else if (binomial < 1 / RESCALE) {
      binomial *= RESCALE;
      binomialExponent -= RESCALE_BITS;
    }
  }
  return Math.min(Math.max(x * sum, 0), 1);
}

/** Splits n·x into integer and fractional parts without rounding error (Dekker's product). */
function exactMultiple(n: number, x: number): { floor: number; frac: number } {
  const hi = n * x;
  const lo = twoProductError(n, x, hi);
  let floor = Math.floor(hi);
  let frac = hi - floor + lo;
  if (frac < 0) {
    floor -= 1;
    frac += 1;
  }
  if (frac >= 1) {
    floor += 1;
    frac = 0;
  }
  return { floor, frac };
}

const SPLITTER = 134217729; // 2^27 + 1

function twoProductError(a: number, b: number, product: number): number {
  const [aHi, aLo] = split(a);
  const [bHi, bLo] = split(b);
  return aLo * bLo - (product - aHi * bHi - aLo * bHi - aHi * bLo);
}

function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}
