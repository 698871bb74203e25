import { inverseRegularizedBeta } from './incomplete-beta.js';
import { normalQuantile } from './normal-quantile.js';
import { assertBinomialCounts, assertCount, assertOpenUnit } from './validate.js';

/*
 * Confidence bounds for a binomial proportion (k successes in n trials). Which bound the learning loop
 * uses for what:
 *
 * - **Clopper–Pearson** (exact, from the beta quantiles) for every *decision* about FNR: the
 *   promotion gate and the threshold optimiser use its one-sided **upper** bound (the FNR we may be
 *   hiding is at most this, with the stated confidence); rollback uses its one-sided **lower** bound
 *   (the live FNR is at least this, so sampling noise alone does not roll a champion back). FNR's
 *   numerator is small (often 0–3 missed actionable alerts), where normal-approximation intervals,
 *   Wilson included, under-cover; Clopper–Pearson never covers less than its nominal level, and at
 *   k = 0 it still gives a useful bound (1 − α^{1/n}, the "rule of three" 3/n at 95%).
 * - **Wilson** score for *noise reduction*, whose counts are large (every firing alert, most of them
 *   suppressed): it is closed-form and cheap, its coverage is close to nominal there, and it is less
 *   conservative, so a real 10% drop in noise reduction is detected sooner. Rollback compares its
 *   upper bound with the holdout reference; evidence records carry the interval.
 */

/** A confidence interval for a proportion (see the file comment for which bound the loop uses where). */
export interface BinomialBounds {
  /** Lower bound of the proportion (0 for an `upper` one-sided bound). */
  lower: number;
  /** Upper bound of the proportion (1 for a `lower` one-sided bound). */
  upper: number;
}

/** Which side(s) a bound covers; one-sided bounds put all of α on one side. */
export type BoundSides = 'two-sided' | 'upper' | 'lower';

/** Options of {@link clopperPearson} and {@link wilson}. */
export interface BoundOptions {
  /**
   * Confidence level 1 − α.
   * @defaultValue 0.95
   */
  confidence?: number;
  /**
   * `two-sided` splits α over both tails (scipy's `binomtest(k, n).proportion_ci`); `upper` / `lower` are
   * one-sided and put α in one tail.
   * @defaultValue 'two-sided'
   */
  sides?: BoundSides;
}

const DEFAULT_BOUND_OPTIONS = { confidence: 0.95, sides: 'two-sided' } as const satisfies Required<BoundOptions>;

function resolve(successes: number, trials: number, options: BoundOptions): Required<BoundOptions> {
  const resolved = { ...DEFAULT_BOUND_OPTIONS, ...options };
  assertBinomialCounts(successes, trials);
  assertOpenUnit('confidence', resolved.confidence);
  return resolved;
}

/**
 * Clopper–Pearson exact bounds: lower = B⁻¹(α_l; k, n − k + 1), upper = B⁻¹(1 − α_u; k + 1, n − k), with
 * α_l = α_u = α/2 for two-sided bounds. With no trials there is no information: [0, 1]. The loop bounds
 * every FNR with it (promotion, thresholds, rollback): it is exact and never under-covers at the 0–3
 * misses typical of FNR, where normal approximations (Wilson included) do.
 */
export function clopperPearson(successes: number, trials: number, options: BoundOptions = {}): BinomialBounds {
  const { confidence, sides } = resolve(successes, trials, options);
  const alpha = 1 - confidence;
  const tail = sides === 'two-sided' ? alpha / 2 : alpha;
  const k = successes;
  const n = trials;
  const lower = sides === 'upper' || k === 0 ? 0 : inverseRegularizedBeta(tail, k, n - k + 1);
  const upper = sides === 'lower' || k === n ? 1 : inverseRegularizedBeta(1 - tail, k + 1, n - k);
  return { lower, upper };
}

/** The one-sided Clopper–Pearson upper bound at `confidence` (the FNR gate of promotion and thresholds). */
export function clopperPearsonUpper(successes: number, trials: number, confidence = 0.95): number {
  return clopperPearson(successes, trials, { confidence, sides: 'upper' }).upper;
}

/** The one-sided Clopper–Pearson lower bound at `confidence` (the FNR trigger of rollback). */
export function clopperPearsonLower(successes: number, trials: number, confidence = 0.95): number {
  return clopperPearson(successes, trials, { confidence, sides: 'lower' }).lower;
}

/**
 * Wilson score bounds (without continuity correction; scipy's `proportion_ci(method='wilson')` for
 * two-sided ones). With no trials: [0, 1]. The loop uses it for noise reduction only: large counts,
 * where it is close to nominal, cheap, and less conservative, so real degradation shows sooner.
 */
export function wilson(successes: number, trials: number, options: BoundOptions = {}): BinomialBounds {
  const { confidence, sides } = resolve(successes, trials, options);
  if (trials === 0) return { lower: 0, upper: 1 };
  const alpha = 1 - confidence;
  const z = normalQuantile(1 - (sides === 'two-sided' ? alpha / 2 : alpha));
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 or k = n the exact algebraic bound is 0 or 1; clamp so rounding cannot leave [0, 1].
  const lower = sides === 'upper' || successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = sides === 'lower' || successes === n ? 1 : Math.min(1, centre + halfWidth);
  return { lower, upper };
}

/**
 * The fewest trials with which `allowedSuccesses` successes can still have a one-sided Clopper–Pearson
 * upper bound ≤ `target`: 299 for 0 misses at 1% and 95%, 473 for 1 miss. Below it no FNR gate at
 * that target can pass, whatever the model does.
 */
export function minTrialsForUpperBound(target: number, confidence = 0.95, allowedSuccesses = 0): number {
  assertOpenUnit('target', target);
  assertOpenUnit('confidence', confidence);
  assertCount('allowedSuccesses', allowedSuccesses);
  let lo = allowedSuccesses + 1;
  if (clopperPearsonUpper(allowedSuccesses, lo, confidence) <= target) return lo;
  let hi = lo * 2;
  while (clopperPearsonUpper(allowedSuccesses, hi, confidence) > target) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clopperPearsonUpper(allowedSuccesses, mid, confidence) <= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
