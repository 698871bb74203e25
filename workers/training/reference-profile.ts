import type { TrainingSet } from './trainer.js';

/** Quantile levels every numeric profile stores (0, 0.05, …, 1). */
export const PROFILE_QUANTILES: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** A feature with at most this many distinct values is also profiled as categorical. */
const MAX_CATEGORIES = 20;

/** The training distribution of one feature, compact enough to store with the model (DESIGN §6). */
export interface FeatureProfile {
  name: string;
  count: number;
  mean: number;
  std: number;
  /** Values at {@link PROFILE_QUANTILES} (type-7 interpolation, as numpy's default). */
  quantiles: number[];
  /** Category → count, when the feature has few distinct values; otherwise null. */
  categories: Record<string, number> | null;
}

/** Per-feature profiles of a training set; drift detection compares live windows with it. */
export interface ReferenceProfile {
  featureSchemaVersion: number;
  rows: number;
  positives: number;
  features: FeatureProfile[];
}

/** Profiles every column of `set` (named by `names`, in vector order). */
export function referenceProfile(set: TrainingSet, names: readonly string[], featureSchemaVersion: number): ReferenceProfile {
  const column = new Float64Array(set.nRows);
  const features: FeatureProfile[] = [];
  for (let f = 0; f < set.nFeatures; f += 1) {
    for (let r = 0; r < set.nRows; r += 1) column[r] = set.features[r * set.nFeatures + f] as number;
    features.push(profileColumn(names[f] ?? `f${f}`, column));
  }
  let positives = 0;
  for (const label of set.labels) positives += label;
  return { featureSchemaVersion, rows: set.nRows, positives, features };
}

function profileColumn(name: string, values: Float64Array): FeatureProfile {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sorted = Float64Array.from(values).sort();
  const quantiles = PROFILE_QUANTILES.map((q) => quantileOfSorted(sorted, q));
  const counts = new Map<number, number>();
  for (const v of sorted) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_CATEGORIES) break;
  }
  return {
    name,
    count: n,
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    quantiles,
    categories: counts.size <= MAX_CATEGORIES ? Object.fromEntries([...counts].map(([v, c]) => [String(v), c])) : null,
  };
}

function quantileOfSorted(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const a = sorted[lower] as number;
  return a + (position - lower) * ((sorted[upper] as number) - a);
}
