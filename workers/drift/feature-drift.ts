import { HushError } from '../../shared/errors/index.js';
import { benjaminiHochberg, chiSquareHomogeneity, jensenShannonDistance, ksTwoSample } from '../../shared/stats/index.js';
import { pairwiseSum } from '../../shared/stats/pairwise-sum.js';
import { decodeSample, type FeatureProfile } from '../training/reference-profile.js';
import type { DriftOptions } from './drift-options.js';

/** What the window's aggregates say about one feature (all computed inside ClickHouse but `sample`). */
export interface FeatureWindowStats {
  /** Rows of the window carrying the feature. */
  n: number;
  /** Categorical: [unseen, category 1, …]; numeric: counts in the reference PSI bins. */
  counts: number[];
  /** Order statistics at the profile's grid levels; only needed for a large numeric window. */
  grid: number[] | null;
  /**
   * When `grid` was read from value cells (`gridFromCells`): the mean spread of the cells its levels fell
   * in, a bound on the mean |grid − exact order statistic|. Absent when the grid is exact.
   */
  gridErrorBound?: number;
  /** The window's rows, when `n` counts a hashed subsample of them (measureWindow); absent when n is the whole window. */
  sampleOf?: number;
  /** The window's raw values; only for a small numeric window (KS). */
  sample: ArrayLike<number> | null;
}

export type PrimaryTest = 'ks' | 'chi-square' | 'wasserstein' | 'jensen-shannon';

/** The verdict on one feature, with every statistic behind it. */
export interface FeatureDrift {
  name: string;
  type: 'numeric' | 'categorical';
  n: number;
  test: PrimaryTest;
  /** KS D, chi-square X², normalised Wasserstein or Jensen–Shannon distance. */
  statistic: number;
  /** Raw p-value of KS / chi-square; null for the distances. */
  pValue: number | null;
  /** Benjamini–Hochberg adjusted p-value across the window's p-value tests; null for the distances. */
  adjustedPValue: number | null;
  /** The value the statistic (distance) or adjusted p-value is compared with. */
  threshold: number;
  primaryDrift: boolean;
  psi: number;
  psiDrift: boolean;
  /** The consensus (docs/drift.md). */
  drifted: boolean;
  /** Share of window values outside the reference categories (categorical only). */
  unseenShare: number | null;
  /** Bucket shares (PSI bins or [unseen, categories…]) of the reference and the window. */
  referenceShares: number[];
  currentShares: number[];
  /** KS `exact`/`asymptotic`, chi-square dof: whatever qualifies the statistic. */
  detail: Record<string, unknown>;
}

/** PSI on bucket counts: shares floored at `epsilon`, Σ (c − r)·ln(c / r), as `populationStabilityIndex` sums it. */
export function psiFromCounts(reference: readonly number[], current: readonly number[], epsilon: number): number {
  const refTotal = reference.reduce((a, b) => a + b, 0);
  const curTotal = current.reduce((a, b) => a + b, 0);
  const terms = reference.map((r, i) => {
    const rf = Math.max(r / refTotal, epsilon);
    const cf = Math.max((current[i] as number) / curTotal, epsilon);
    return (cf - rf) * Math.log(cf / rf);
  });
  return pairwiseSum(terms);
}

/**
 * Normalised Wasserstein-1 estimated on the quantile grid: mean over the grid levels of |Q_ref(u) − Q_cur(u)|
 * (W1 = ∫₀¹ |Q_ref − Q_cur| du, midpoint rule), divided by max(population std of the reference, minStd).
 */
export function gridWasserstein(referenceGrid: readonly number[], currentGrid: readonly number[], referenceStd: number, minStd: number): number {
  const terms = referenceGrid.map((r, k) => Math.abs(r - (currentGrid[k] as number)));
  return pairwiseSum(terms) / terms.length / Math.max(referenceStd, minStd);
}

/**
 * The Dvoretzky–Kiefer–Wolfowitz bound for a subsample of `n` rows: with probability ≥ 1 − `delta`, its
 * ECDF is within ε = √(ln(2/δ) / 2n) of the whole window's everywhere, so every bucket share within 2ε.
 */
export function dkwBound(n: number, delta = 0.001): number {
  return Math.sqrt(Math.log(2 / delta) / (2 * n));
}

/** Population (ddof = 0) standard deviation of a profiled feature, from its sample std (ddof = 1). */
export function populationStd(profile: FeatureProfile): number {
  return profile.count > 1 ? profile.std * Math.sqrt((profile.count - 1) / profile.count) : 0;
}

/** The ordered reference categories of a categorical profile (as numbers) and their counts. */
export function profileCategories(profile: FeatureProfile): { values: number[]; counts: number[] } | null {
  if (profile.categories === null) return null;
  const entries = Object.entries(profile.categories);
  return { values: entries.map(([value]) => Number(value)), counts: entries.map(([, count]) => count) };
}

/** Reference bucket counts matching {@link FeatureWindowStats.counts}. */
export function referenceCounts(profile: FeatureProfile): number[] {
  const categories = profileCategories(profile);
  return categories === null ? profile.psi.counts : [0, ...categories.counts];
}

/**
 * Judges every feature with a window row count of at least `minWindowRows`: the primary test chosen
 * as Evidently does by window size and type, Benjamini–Hochberg over the p-value tests, PSI as second
 * opinion, combined per `psiMode`. Features given `null` stats, or unseen in training, are skipped.
 */
export function judgeFeatures(profiles: readonly FeatureProfile[], stats: readonly (FeatureWindowStats | null)[], options: DriftOptions): FeatureDrift[] {
  const judged: FeatureDrift[] = [];
  profiles.forEach((profile, i) => {
    const window = stats[i];
    if (!window || window.n < options.minWindowRows || profile.count === 0) return;
    judged.push(judgeOne(profile, window, options));
  });
  const tested = judged.filter((f) => f.pValue !== null);
  const adjusted = tested.length > 0 ? benjaminiHochberg(tested.map((f) => f.pValue as number)) : [];
  tested.forEach((feature, k) => {
    feature.adjustedPValue = adjusted[k] as number;
    feature.primaryDrift = feature.adjustedPValue < options.alpha;
  });
  for (const feature of judged) {
    feature.drifted =
      options.psiMode === 'both' ? feature.primaryDrift && feature.psiDrift
      : options.psiMode === 'either' ? feature.primaryDrift || feature.psiDrift
      : feature.primaryDrift;
  }
  return judged;
}

function judgeOne(profile: FeatureProfile, window: FeatureWindowStats, options: DriftOptions): FeatureDrift {
  const categorical = profile.categories !== null;
  const reference = referenceCounts(profile);
  const refTotal = reference.reduce((a, b) => a + b, 0);
  const curTotal = window.counts.reduce((a, b) => a + b, 0);
  const psi = psiFromCounts(reference, window.counts, options.psiEpsilon);
  const small = window.n <= options.smallWindowMax;
  const sampled = window.sampleOf === undefined ? {} : { sample: { rows: window.n, of: window.sampleOf, dkwBound: dkwBound(window.n) } };
  const base = {
    name: profile.name,
    type: categorical ? ('categorical' as const) : ('numeric' as const),
    n: window.n,
    adjustedPValue: null,
    psi,
    psiDrift: psi > options.psiThreshold,
    drifted: false,
    unseenShare: categorical ? (window.counts[0] as number) / curTotal : null,
    referenceShares: reference.map((c) => c / refTotal),
    currentShares: window.counts.map((c) => c / curTotal),
  };
  if (categorical && small) {
    const chi = chiSquareHomogeneity(reference, window.counts, { minExpected: options.minExpected });
    return { ...base, test: 'chi-square', statistic: chi.statistic, pValue: chi.pValue, threshold: options.alpha, primaryDrift: false, detail: { dof: chi.dof, categories: chi.categories } };
  }
  if (categorical) {
    const distance = jensenShannonDistance(reference, window.counts, { base: 2 });
    return { ...base, test: 'jensen-shannon', statistic: distance, pValue: null, threshold: options.jensenShannonThreshold, primaryDrift: distance >= options.jensenShannonThreshold, detail: { ...sampled } };
  }
  if (small) {
    if (window.sample === null) throw new HushError('HUSH_ERR_INTERNAL', `feature ${profile.name}: a small numeric window needs its sample`);
    const ks = ksTwoSample(decodeSample(profile.sample), window.sample);
    return { ...base, test: 'ks', statistic: ks.statistic, pValue: ks.pValue, threshold: options.alpha, primaryDrift: false, detail: { method: ks.method } };
  }
  if (window.grid === null) throw new HushError('HUSH_ERR_INTERNAL', `feature ${profile.name}: a large numeric window needs its quantile grid`);
  const distance = gridWasserstein(profile.grid, window.grid, populationStd(profile), options.minStd);
  return {
    ...base,
    test: 'wasserstein',
    statistic: distance,
    pValue: null,
    threshold: options.wassersteinThreshold,
    primaryDrift: distance >= options.wassersteinThreshold,
    // How far the statistic can be from the one on the window's exact order statistics (docs/drift.md).
    detail: { referenceStd: populationStd(profile), gridLevels: profile.grid.length, gridErrorBound: (window.gridErrorBound ?? 0) / Math.max(populationStd(profile), options.minStd), ...sampled },
  };
}
