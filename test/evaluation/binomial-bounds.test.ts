import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialUpperTail,
  clopperPearson,
  clopperPearsonLower,
  clopperPearsonUpper,
  inverseRegularizedBeta,
  minTrialsForUpperBound,
  normalQuantile,
  regularizedBeta,
  wilson,
} from '../../shared/evaluation/index.js';

const TOLERANCE = 1e-9;

/**
 * [k, n, two-sided low, two-sided high, one-sided lower, one-sided upper, Wilson low, Wilson high], all at
 * 95%, produced with scipy 1.10.1 (Debian python3-scipy):
 *   two-sided exact: scipy.stats.binomtest(k, n).proportion_ci(0.95, 'exact')
 *   one-sided lower: scipy.stats.beta.ppf(0.05, k, n - k + 1)   (0 when k = 0)
 *   one-sided upper: scipy.stats.beta.ppf(0.95, k + 1, n - k)   (1 when k = n)
 *   Wilson:          scipy.stats.binomtest(k, n).proportion_ci(0.95, 'wilson')
 */
const SCIPY_BOUNDS: [number, number, number, number, number, number, number, number][] = [
  [0, 100, 0.0, 0.03621669264519054, 0.0, 0.02951304960703993, 0.0, 0.03699349820698568],
  [1, 100, 0.0002531460326818928, 0.054459385392080666, 0.000512801416262292, 0.046559811453538935, 0.001767432064140647, 0.054486196178705315],
  [5, 20, 0.08657146910143455, 0.49104587170795755, 0.10408083591013609, 0.4555824040017489, 0.11186170140766571, 0.468700877618744],
  [0, 300, 0.0, 0.012220974694296421, 0.0, 0.009936081944457708, 0.0, 0.012642971224546036],
  [3, 1000, 0.0006190999316499173, 0.008742023238657654, 0.0008181753982218001, 0.007735244718479458, 0.0010207838811386186, 0.008783014053503173],
  [20, 20, 0.8315665290169145, 1.0, 0.8608916593317348, 1.0, 0.8388748419471808, 1.0],
  [1, 1, 0.025000000000000022, 1.0, 0.05, 1.0, 0.20654931437723745, 1.0],
  [0, 1, 0.0, 0.975, 0.0, 0.95, 0.0, 0.7934506856227626],
  [7, 100000, 2.814407902519663e-5, 0.00014422140092245166, 3.285360286106175e-5, 0.00013147709623909264, 3.390903779016497e-5, 0.000144498696957113],
  [50000, 100000, 0.4968960624917974, 0.5031039375082001, 0.49739428226028354, 0.5026057177397165, 0.49690108435968966, 0.5030989156403103],
];

describe('Clopper–Pearson bounds', () => {
  it.each(SCIPY_BOUNDS)('matches scipy for %i/%i to 1e-9', (k, n, low, high, lower, upper) => {
    const twoSided = clopperPearson(k, n);
    expect(Math.abs(twoSided.lower - low)).toBeLessThan(TOLERANCE);
    expect(Math.abs(twoSided.upper - high)).toBeLessThan(TOLERANCE);
    expect(Math.abs(clopperPearsonLower(k, n) - lower)).toBeLessThan(TOLERANCE);
    expect(Math.abs(clopperPearsonUpper(k, n) - upper)).toBeLessThan(TOLERANCE);
    expect(clopperPearson(k, n, { sides: 'upper' })).toEqual({ lower: 0, upper: clopperPearsonUpper(k, n) });
    expect(clopperPearson(k, n, { sides: 'lower' })).toEqual({ lower: clopperPearsonLower(k, n), upper: 1 });
  });

  it('gives the closed form 1 − α^(1/n) for zero misses (the rule of three)', () => {
    for (const n of [10, 299, 1000, 50_000]) expect(Math.abs(clopperPearsonUpper(0, n) - (1 - 0.05 ** (1 / n)))).toBeLessThan(1e-12);
    expect(clopperPearsonUpper(0, 1000, 0.99)).toBeCloseTo(1 - 0.01 ** (1 / 1000), 12);
  });

  it('knows nothing without trials', () => {
    expect(clopperPearson(0, 0)).toEqual({ lower: 0, upper: 1 });
    expect(wilson(0, 0)).toEqual({ lower: 0, upper: 1 });
  });

  it('finds the fewest actionable alerts whose bound can meet a target', () => {
    expect(minTrialsForUpperBound(0.01)).toBe(299);
    expect(clopperPearsonUpper(0, 298)).toBeGreaterThan(0.01);
    expect(minTrialsForUpperBound(0.01, 0.95, 1)).toBe(473);
    expect(clopperPearsonUpper(1, 473)).toBeLessThanOrEqual(0.01);
    expect(clopperPearsonUpper(1, 472)).toBeGreaterThan(0.01);
    expect(minTrialsForUpperBound(0.5)).toBe(5);
  });
});

describe('Wilson bounds', () => {
  it.each(SCIPY_BOUNDS)('matches scipy for %i/%i to 1e-9', (k, n, _l, _h, _lo, _up, low, high) => {
    const bounds = wilson(k, n);
    expect(Math.abs(bounds.lower - low)).toBeLessThan(TOLERANCE);
    expect(Math.abs(bounds.upper - high)).toBeLessThan(TOLERANCE);
  });

  it('uses the one-sided z for one-sided bounds', () => {
    // z = scipy.stats.norm.ppf(0.95) = 1.6448536269514722; the one-sided 95% bound is the two-sided 90% one.
    expect(wilson(30, 200, { sides: 'upper' }).upper).toBeCloseTo(wilson(30, 200, { confidence: 0.9 }).upper, 12);
    expect(wilson(30, 200, { sides: 'lower' }).lower).toBeCloseTo(wilson(30, 200, { confidence: 0.9 }).lower, 12);
  });
});

describe('the functions under the bounds', () => {
  it('computes the regularized incomplete beta like scipy.special.betainc', () => {
    // scipy.special.betainc(a, b, x) with scipy 1.10.1
    expect(regularizedBeta(0.4, 2, 3)).toBeCloseTo(0.5247999999999999, 12);
    expect(regularizedBeta(0.2, 0.5, 0.5)).toBeCloseTo(0.29516723530086664, 12);
    expect(regularizedBeta(0.3, 100, 200)).toBeCloseTo(0.10884306564491235, 12);
    expect(regularizedBeta(1e-5, 1, 1e5)).toBeCloseTo(0.6321223981844579, 11);
    expect(regularizedBeta(0.49, 5000, 5000)).toBeCloseTo(0.022742032324413, 11);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(0.5, -1, 3)).toBeNaN();
  });

  it('inverts the incomplete beta', () => {
    for (const [y, a, b] of [[0.05, 1, 99], [0.5, 3, 7], [0.975, 6, 15], [1e-6, 2, 2]] as const) {
      expect(regularizedBeta(inverseRegularizedBeta(y, a, b), a, b)).toBeCloseTo(y, 12);
    }
    expect(inverseRegularizedBeta(0, 2, 3)).toBe(0);
    expect(inverseRegularizedBeta(1, 2, 3)).toBe(1);
    expect(inverseRegularizedBeta(2, 2, 3)).toBeNaN();
  });

  it('computes binomial tails exactly', () => {
    // 12 fair coins: P(X ≤ 2) = (1 + 12 + 66)/4096; P(X ≥ 2) = 1 − 13/4096
    expect(binomialCdf(2, 12, 0.5)).toBeCloseTo(79 / 4096, 14);
    expect(binomialUpperTail(2, 12, 0.5)).toBeCloseTo(1 - 13 / 4096, 14);
    expect(binomialCdf(12, 12, 0.5)).toBe(1);
    expect(binomialUpperTail(0, 12, 0.5)).toBe(1);
  });

  it('computes normal quantiles like scipy.stats.norm.ppf', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 12);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

describe('bad input', () => {
  it.each([
    ['successes above trials', () => clopperPearson(5, 4)],
    ['a fractional count', () => clopperPearson(1.5, 4)],
    ['a negative count', () => wilson(-1, 4)],
    ['NaN trials', () => clopperPearsonUpper(0, Number.NaN)],
    ['confidence 1', () => clopperPearson(1, 4, { confidence: 1 })],
    ['confidence 0', () => wilson(1, 4, { confidence: 0 })],
    ['target 0', () => minTrialsForUpperBound(0)],
    ['target 1', () => minTrialsForUpperBound(1)],
  ])('rejects %s with HUSH_ERR_VALIDATION', (_name, call) => {
    expect(call).toThrow(expect.objectContaining({ code: 'HUSH_ERR_VALIDATION' }));
  });
});
