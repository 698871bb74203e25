import { sortedQuantile } from '../../shared/stats/quantile.js';
import type { TrainingSet } from './trainer.js';

/** Quantile levels every numeric profile stores (0, 0.05, …, 1). */
export const PROFILE_QUANTILES: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/** A feature with at most this many distinct values is also profiled as categorical. */
const MAX_CATEGORIES = 20;

/** PSI bins are the reference deciles (docs/stats.md): edges at i/10, i = 1 … 9. */
export const PSI_BINS = 10;

/** Levels (k − ½)/100 of the quantile grid the drift worker compares for Wasserstein (docs/drift.md). */
export const GRID_LEVELS: readonly number[] = Array.from({ length: 100 }, (_, k) => (k + 0.5) / 100);

/** Most values kept per numeric feature for the KS test; a column this short is kept whole. */
export const SAMPLE_SIZE = 1000;

/** Version of the drift fields below; profiles without them (older models) cannot be compared. */
export const DRIFT_PROFILE_VERSION = 1;

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
  /** Reference-decile PSI bins: interior edges (distinct, ascending) and the training count in each bin. */
  psi: { edges: number[]; counts: number[] };
  /** Order statistics x₍⌊u·n⌋₎ at {@link GRID_LEVELS}, the rule of ClickHouse's `quantilesExact`. */
  grid: number[];
  /**
   * Float32 little-endian values, base64: the whole column when it has ≤ {@link SAMPLE_SIZE} rows,
   * else the order statistics at (j + ½)·n/SAMPLE_SIZE. Empty for categorical features (they need counts only).
   */
  sample: string;
}

/** Per-feature profiles of a training set; drift detection compares live windows with it. */
export interface ReferenceProfile {
  featureSchemaVersion: number;
  /** {@link DRIFT_PROFILE_VERSION} when the drift fields are present. */
  driftVersion: number;
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
  return { featureSchemaVersion, driftVersion: DRIFT_PROFILE_VERSION, rows: set.nRows, positives, features };
}

/** The KS sample of a feature profile as numbers (empty for categorical features). */
export function decodeSample(encoded: string): Float32Array {
  const bytes = Buffer.from(encoded, 'base64');
  const values = new Float32Array(bytes.length / 4);
  for (let i = 0; i < values.length; i += 1) values[i] = bytes.readFloatLE(i * 4);
  return values;
}

/** Order statistic x₍min(⌊u·n⌋, n−1)₎ of an ascending sample: what ClickHouse's `quantilesExact` returns. */
export function orderStatistic(sorted: ArrayLike<number>, level: number): number {
  return sorted[Math.min(Math.floor(level * sorted.length), sorted.length - 1)] as number;
}

/** Interior PSI edges of a sorted sample: type-7 deciles with ties merged, as `populationStabilityIndex` cuts them. */
export function psiEdges(sorted: Float64Array): number[] {
  const edges: number[] = [];
  for (let i = 1; i < PSI_BINS; i += 1) {
    const edge = sortedQuantile(sorted, i / PSI_BINS);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

/** Bin of `value` among interior `edges`: the number of edges ≤ value (bins are [e₍ᵢ₋₁₎, eᵢ)). */
export function binOf(value: number, edges: readonly number[]): number {
  let bin = 0;
  while (bin < edges.length && value >= (edges[bin] as number)) bin += 1;
  return bin;
}

function profileColumn(name: string, values: Float64Array): FeatureProfile {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : 0;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const sorted = Float64Array.from(values).sort();
  const quantiles = PROFILE_QUANTILES.map((q) => (sorted.length === 0 ? 0 : sortedQuantile(sorted, q)));
  const counts = new Map<number, number>();
  for (const v of sorted) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    if (counts.size > MAX_CATEGORIES) break;
  }
  const categorical = counts.size <= MAX_CATEGORIES;
  const edges = n > 0 ? psiEdges(sorted) : [];
  const binCounts = new Array<number>(edges.length + 1).fill(0);
  for (const v of sorted) {
    const bin = binOf(v, edges);
    binCounts[bin] = (binCounts[bin] as number) + 1;
  }
  return {
    name,
    count: n,
    mean,
    std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0,
    quantiles,
    categories: categorical ? Object.fromEntries([...counts].map(([v, c]) => [String(v), c])) : null,
    psi: { edges, counts: binCounts },
    grid: n > 0 ? GRID_LEVELS.map((u) => orderStatistic(sorted, u)) : [],
    sample: categorical || n === 0 ? '' : encodeSample(values.length <= SAMPLE_SIZE ? values : stratifiedSample(sorted)),
  };
}

/** Order statistics at (j + ½)·n/SAMPLE_SIZE: a deterministic sample whose ECDF is within 1/SAMPLE_SIZE of the column's. */
function stratifiedSample(sorted: Float64Array): Float64Array {
  const out = new Float64Array(SAMPLE_SIZE);
  for (let j = 0; j < SAMPLE_SIZE; j += 1) out[j] = sorted[Math.floor(((j + 0.5) * sorted.length) / SAMPLE_SIZE)] as number;
  return out;
}

function encodeSample(values: Float64Array): string {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i += 1) bytes.writeFloatLE(values[i] as number, i * 4);
  return bytes.toString('base64');
}
