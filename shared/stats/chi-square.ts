import { HushError } from '../errors/index.js';
import { regularizedUpperGamma } from './incomplete-gamma.js';
import { pairwiseSum } from './pairwise-sum.js';
import { assertCounts, assertSameLength, type Sample } from './validate.js';

/** Options of {@link chiSquareHomogeneity}. */
export interface ChiSquareOptions {
  /**
   * Categories whose expected count (in either row) is below this are merged into one "other" bucket.
   * @defaultValue 5
   */
  minExpected?: number;
}

/** Result of {@link chiSquareHomogeneity}. */
export interface ChiSquareResult {
  /** Pearson's X² on the 2×k table after merging. */
  statistic: number;
  /** `P(χ²_dof ≥ statistic)`; 1 when fewer than two categories remain. */
  pValue: number;
  /** Degrees of freedom, k − 1 for the merged table. */
  dof: number;
  /** Number of categories k after dropping empty ones and merging small ones. */
  categories: number;
}

const DEFAULTS: Required<ChiSquareOptions> = { minExpected: 5 };

/**
 * Pearson chi-square test of homogeneity on the 2×k table [reference counts; current counts], equal to
 * `scipy.stats.chi2_contingency(table, correction=False)` on the merged table. The homogeneity test is
 * used rather than `chisquare` against reference shares because the reference is a sample too.
 * Categories empty in both rows are dropped; categories with an expected count below `minExpected`
 * are merged into one bucket, which, if still too small, joins the smallest remaining category.
 */
export function chiSquareHomogeneity(reference: Sample, current: Sample, options: ChiSquareOptions = {}): ChiSquareResult {
  const { minExpected } = { ...DEFAULTS, ...options };
  if (!(minExpected >= 0)) throw new HushError('HUSH_ERR_VALIDATION', `minExpected must be ≥ 0, got ${minExpected}`);
  assertCounts('reference', reference);
  assertCounts('current', current);
  assertSameLength('reference', reference, 'current', current);
  const [ref, cur] = mergeSmallCategories(reference, current, minExpected);
  if (ref.length < 2) return { statistic: 0, pValue: 1, dof: 0, categories: ref.length };

  const refTotal = pairwiseSum(ref);
  const curTotal = pairwiseSum(cur);
  const total = refTotal + curTotal;
  const terms: number[] = [];
  for (const [rowTotal, row] of [[refTotal, ref], [curTotal, cur]] as const) {
    for (let j = 0; j < ref.length; j++) {
      const expected = (rowTotal * (ref[j]! + cur[j]!)) / total;
      terms.push((row[j]! - expected) ** 2 / expected);
    }
  }
  const statistic = pairwiseSum(terms);
  const dof = ref.length - 1;
  return { statistic, pValue: chiSquareSf(statistic, dof), dof, categories: ref.length };
}

/** Survival function of the chi-square distribution, `scipy.stats.chi2.sf(x, dof)`. */
export function chiSquareSf(x: number, dof: number): number {
  return regularizedUpperGamma(dof / 2, x / 2);
}

function mergeSmallCategories(reference: Sample, current: Sample, minExpected: number): [number[], number[]] {
  const ref: number[] = [];
  const cur: number[] = [];
  for (let j = 0; j < reference.length; j++) {
    if (reference[j]! + current[j]! > 0) {
      ref.push(reference[j]!);
      cur.push(current[j]!);
    }
  }
  const refTotal = pairwiseSum(ref);
  const curTotal = pairwiseSum(cur);
  const total = refTotal + curTotal;
  // The smaller row has the smaller expected count in every column.
  const isSmall = (columnTotal: number): boolean => (Math.min(refTotal, curTotal) * columnTotal) / total < minExpected;

  const keptRef: number[] = [];
  const keptCur: number[] = [];
  let otherRef = 0;
  let otherCur = 0;
  let merged = 0;
  for (let j = 0; j < ref.length; j++) {
    if (isSmall(ref[j]! + cur[j]!)) {
      otherRef += ref[j]!;
      otherCur += cur[j]!;
      merged++;
    } else {
      keptRef.push(ref[j]!);
      keptCur.push(cur[j]!);
    }
  }
  if (merged === 0) return [ref, cur];
  if (keptRef.length > 0 && isSmall(otherRef + otherCur)) {
    const totals = keptRef.map((r, j) => r + keptCur[j]!);
    const smallest = totals.indexOf(Math.min(...totals));
    keptRef[smallest]! += otherRef;
    keptCur[smallest]! += otherCur;
  } else {
    keptRef.push(otherRef);
    keptCur.push(otherCur);
  }
  return [keptRef, keptCur];
}
