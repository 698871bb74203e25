import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftWindow } from '../../shared/clickhouse/queries/drift-window.js';
import { driftWindowHistograms, type CellGrid, type HistogramSpec, type ValueCell } from '../../shared/clickhouse/queries/drift-window-histograms.js';
import { driftWindowRows } from '../../shared/clickhouse/queries/drift-window-rows.js';
import { driftWindowSample } from '../../shared/clickhouse/queries/drift-window-sample.js';
import { GRID_LEVELS, type FeatureProfile, type ReferenceProfile } from '../training/reference-profile.js';
import type { DriftOptions } from './drift-options.js';
import { profileCategories, type FeatureWindowStats } from './feature-drift.js';

/**
 * Most equal-width value cells per numeric feature; fewer when there are many numeric features, so that
 * the histogram keys stay below 2¹⁶ (ClickHouse then counts them in a direct-addressed table).
 */
export const MAX_VALUE_CELLS = 1024;
const KEY_BUDGET = 60_000;

/**
 * A window with more rows is measured on a deterministic subsample of about this many (½× – 1×) of its
 * alerts, chosen by a hash of the alert id; the report records it (docs/drift.md: the DKW bound).
 */
export const SAMPLE_ROWS = 200_000;

/** A window's per-feature aggregates, ready for {@link judgeFeatures}. */
export interface WindowMeasurement {
  /** Rows of the window (all of them, also when the features were measured on a subsample). */
  rows: number;
  /** Rows the aggregates counted when the window was subsampled; null when they counted every row. */
  sampledRows: number | null;
  stats: FeatureWindowStats[];
}

/**
 * The value cells of a numeric feature: `count` equal cells over the training range widened by half its
 * width on each side, so that a drifted window still falls mostly inside them.
 */
export function valueCells(profile: FeatureProfile, count: number): CellGrid {
  const lo = profile.quantiles[0] ?? 0;
  const hi = profile.quantiles[profile.quantiles.length - 1] ?? 0;
  const half = (hi - lo) / 2;
  return Number.isFinite(half) && half > 0 ? { from: lo - half, to: hi + half, count } : { from: lo - 1, to: lo + 1, count };
}

/**
 * The window's quantile grid at `levels` from its value cells: the order statistic x₍min(⌊u·n⌋, n−1)₎ lies
 * in a known cell, between that cell's least and greatest value, and is placed there by its rank within
 * the cell (linear interpolation; exact when the cell holds at most two values or the rank is its first
 * or last). `errorBound` is the mean over the levels of the spread (max − min) of that cell, a bound on
 * the mean |estimate − exact order statistic| and therefore on the Wasserstein estimate's departure ×
 * the reference std.
 */
export function gridFromCells(cells: readonly ValueCell[], levels: readonly number[]): { values: number[]; errorBound: number } {
  const n = cells.reduce((a, c) => a + c.count, 0);
  if (n === 0) return { values: [], errorBound: 0 };
  const values: number[] = [];
  let spread = 0;
  let k = 0;
  let before = 0;
  for (const u of levels) {
    const rank = Math.min(Math.floor(u * n), n - 1);
    while (before + (cells[k] as ValueCell).count <= rank) {
      before += (cells[k] as ValueCell).count;
      k += 1;
    }
    const cell = cells[k] as ValueCell;
    values.push(cell.count === 1 ? cell.min : cell.min + ((cell.max - cell.min) * (rank - before)) / (cell.count - 1));
    spread += cell.max - cell.min;
  }
  return { values, errorBound: spread / levels.length };
}

/** The histogram spec of every feature of a profile: reference categories, or PSI edges within value cells. */
export function histogramSpecs(profile: ReferenceProfile): HistogramSpec[] {
  const numeric = profile.features.filter((feature) => feature.categories === null).length;
  // Two keys per cell (below / at or above a PSI edge in it) for every numeric feature.
  const cells = Math.max(64, Math.min(MAX_VALUE_CELLS, Math.floor(KEY_BUDGET / (2 * Math.max(1, numeric))) - 2));
  return profile.features.map((feature) => {
    const categories = profileCategories(feature);
    return categories === null ? { edges: feature.psi.edges, cells: valueCells(feature, cells) } : { categories: categories.values };
  });
}

/**
 * Aggregates a window inside ClickHouse against `profile`: bucket counts of every feature (reference
 * categories or PSI bins) and, for numeric features, value cells, from which a large window's quantile
 * grid is read, all in one pass; a small window (≤ `smallWindowMax` rows, what KS needs) also fetches its
 * raw rows — never more than that many. A cheap count comes first. The pass skips FINAL (and its
 * single-stream merge) when the window holds no duplicate alert and reads FINAL otherwise, so a retried
 * insert still counts once; a window of more than `sampleRows` alerts is measured on the alerts with
 * `cityHash64(alert_id) % k = 0`, k = ⌈rows / sampleRows⌉.
 */
export async function measureWindow(client: ClickHouseClient, window: DriftWindow, profile: ReferenceProfile, options: DriftOptions, sampleRows = SAMPLE_ROWS): Promise<WindowMeasurement> {
  const stored = await driftWindowRows(client, window);
  // Never sample down to a size where the small-window tests (raw rows) would apply.
  const sampleEvery = stored.alerts > Math.max(sampleRows, 4 * options.smallWindowMax) ? Math.ceil(stored.alerts / Math.max(sampleRows, 4 * options.smallWindowMax)) : 1;
  const histograms = await driftWindowHistograms(client, window, histogramSpecs(profile), { final: stored.rows !== stored.alerts, sampleEvery });
  const counted = Math.max(0, ...histograms.map((h) => h.n));
  const sampledRows = sampleEvery > 1 ? counted : null;
  const rows = sampleEvery > 1 ? stored.alerts : counted;
  const numeric = profile.features.flatMap((feature, i) => (feature.categories === null ? [i] : []));
  const stats: FeatureWindowStats[] = histograms.map((h) => ({ n: h.n, counts: h.counts, grid: null, sample: null, ...(sampleEvery > 1 ? { sampleOf: rows } : {}) }));
  if (counted === 0 || numeric.length === 0) return { rows, sampledRows, stats };

  if (counted <= options.smallWindowMax) {
    const vectors = await driftWindowSample(client, window, options.smallWindowMax);
    for (const i of numeric) {
      const column = vectors.filter((v) => v.length > i).map((v) => v[i] as number);
      (stats[i] as FeatureWindowStats).sample = Float32Array.from(column);
    }
  } else {
    for (const i of numeric) {
      const grid = gridFromCells((histograms[i] as { cells: ValueCell[] }).cells, GRID_LEVELS);
      const feature = stats[i] as FeatureWindowStats;
      feature.grid = grid.values;
      feature.gridErrorBound = grid.errorBound;
    }
  }
  return { rows, sampledRows, stats };
}
