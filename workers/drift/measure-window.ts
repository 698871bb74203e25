import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftWindow } from '../../shared/clickhouse/queries/drift-window.js';
import { driftWindowHistograms, type HistogramSpec } from '../../shared/clickhouse/queries/drift-window-histograms.js';
import { driftWindowQuantiles } from '../../shared/clickhouse/queries/drift-window-quantiles.js';
import { driftWindowSample } from '../../shared/clickhouse/queries/drift-window-sample.js';
import { GRID_LEVELS, type ReferenceProfile } from '../training/reference-profile.js';
import type { DriftOptions } from './drift-options.js';
import { profileCategories, type FeatureWindowStats } from './feature-drift.js';

/** A window's per-feature aggregates, ready for {@link judgeFeatures}. */
export interface WindowMeasurement {
  rows: number;
  stats: FeatureWindowStats[];
}

/**
 * Aggregates a window inside ClickHouse against `profile`: bucket counts of every feature (reference
 * categories or PSI bins); then, for a large window, the quantile grid of the numeric features, or, for
 * a small one (≤ `smallWindowMax` rows, what KS needs), its raw rows — never more than that many.
 */
export async function measureWindow(client: ClickHouseClient, window: DriftWindow, profile: ReferenceProfile, options: DriftOptions): Promise<WindowMeasurement> {
  const specs: HistogramSpec[] = profile.features.map((feature) => {
    const categories = profileCategories(feature);
    return categories === null ? { edges: feature.psi.edges } : { categories: categories.values };
  });
  const histograms = await driftWindowHistograms(client, window, specs);
  const rows = Math.max(0, ...histograms.map((h) => h.n));
  const numeric = profile.features.flatMap((feature, i) => (feature.categories === null ? [i] : []));
  const stats: FeatureWindowStats[] = histograms.map((h) => ({ n: h.n, counts: h.counts, grid: null, sample: null }));
  if (rows === 0 || numeric.length === 0) return { rows, stats };

  if (rows <= options.smallWindowMax) {
    const vectors = await driftWindowSample(client, window, options.smallWindowMax);
    for (const i of numeric) {
      const column = vectors.filter((v) => v.length > i).map((v) => v[i] as number);
      (stats[i] as FeatureWindowStats).sample = Float32Array.from(column);
    }
  } else {
    const quantiles = await driftWindowQuantiles(client, window, numeric, GRID_LEVELS);
    numeric.forEach((i, k) => {
      (stats[i] as FeatureWindowStats).grid = (quantiles[k] as { values: number[] }).values;
    });
  }
  return { rows, stats };
}
