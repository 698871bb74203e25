import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { cellOf, driftWindowHistograms, type ValueCell } from '../../shared/clickhouse/queries/drift-window-histograms.js';
import { driftWindowRows } from '../../shared/clickhouse/queries/drift-window-rows.js';
import { chiSquareHomogeneity, jensenShannonDistance, ksTwoSample, normalizedWassersteinDistance, populationStabilityIndex } from '../../shared/stats/index.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { gridWasserstein, judgeFeatures, populationStd, profileCategories, type FeatureDrift } from '../../workers/drift/feature-drift.js';
import { gridFromCells, histogramSpecs, measureWindow } from '../../workers/drift/measure-window.js';
import { binOf, GRID_LEVELS, orderStatistic, referenceProfile, type ReferenceProfile } from '../../workers/training/reference-profile.js';
import { createTestDatabase, type TestDatabase } from '../clickhouse/clickhouse-test-db.js';
import { column, HOUR, NAMES, SCHEMA_VERSION, SHIFTED, storeFeatures, trainingSet, vectors } from './drift-fixture.js';

const T0 = Date.UTC(2025, 5, 2);
const tenant = `drift-${randomUUID().slice(0, 8)}`;
const options = resolveDriftOptions();
let db: TestDatabase;
let profile: ReferenceProfile;
const reference = vectors(1000, 1);
// Large windows (> 1000 rows) take Wasserstein / Jensen–Shannon; small ones KS / chi-square.
const windows = {
  largeSame: { from: T0, rows: vectors(3000, 2) },
  largeShifted: { from: T0 + HOUR, rows: vectors(3000, 3, true) },
  smallSame: { from: T0 + 2 * HOUR, rows: vectors(500, 4) },
  smallShifted: { from: T0 + 3 * HOUR, rows: vectors(500, 5, true) },
  // Latency alone moved by 0.3 SD: Wasserstein sees it (≈ 0.3 ≥ 0.1), PSI stays below 0.1 (≈ δ²).
  largeSmallShift: { from: T0 + 4 * HOUR, rows: vectors(5000, 6, false, 0.3) },
};
type WindowName = keyof typeof windows;

const sqlWindow = (name: WindowName) => ({ tenant, featureSchemaVersion: SCHEMA_VERSION, from: windows[name].from, to: windows[name].from + HOUR });

async function judge(name: WindowName, judgeOptions = options): Promise<{ rows: number; features: FeatureDrift[] }> {
  const measured = await measureWindow(db.client, sqlWindow(name), profile, judgeOptions);
  return { rows: measured.rows, features: judgeFeatures(profile.features, measured.stats, judgeOptions) };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.client);
  profile = referenceProfile(trainingSet(reference), NAMES, SCHEMA_VERSION);
  for (const [name, window] of Object.entries(windows)) await storeFeatures(db.client, tenant, window.rows, window.from, HOUR, name);
  // A retried insert of the same alerts must count once (features FINAL), in a small and in a large window.
  await storeFeatures(db.client, tenant, windows.smallSame.rows, windows.smallSame.from, HOUR, 'smallSame');
  await storeFeatures(db.client, tenant, windows.largeShifted.rows.slice(0, 100), windows.largeShifted.from, HOUR, 'largeShifted');
});

afterAll(async () => {
  await db?.drop();
});

describe('drift of a window against the reference profile', () => {
  it.each(['largeSame', 'smallSame'] as const)('finds no dataset drift in a %s window drawn from the reference distribution', async (name) => {
    const { rows, features } = await judge(name);
    expect(rows).toBe(windows[name].rows.length);
    expect(features).toHaveLength(NAMES.length);
    expect(features.filter((f) => f.drifted).map((f) => f.name)).toEqual([]);
  });

  it.each(['largeShifted', 'smallShifted'] as const)('flags exactly the shifted features in a %s window', async (name) => {
    const { features } = await judge(name);
    expect(features.filter((f) => f.drifted).map((f) => f.name).sort()).toEqual([...SHIFTED].sort());
    expect(features.filter((f) => f.drifted).length / features.length).toBeGreaterThanOrEqual(options.driftShare);
  });

  it('chooses the test as Evidently does: by window size and feature type', async () => {
    const large = await judge('largeSame');
    const small = await judge('smallSame');
    const tests = (features: FeatureDrift[]) => Object.fromEntries(features.map((f) => [f.name, f.test]));
    expect(tests(large.features)).toEqual({ latency: 'wasserstein', load: 'wasserstein', rate: 'wasserstein', gap: 'wasserstein', flag: 'jensen-shannon', sev: 'jensen-shannon', count: 'jensen-shannon', noise: 'wasserstein' });
    expect(tests(small.features)).toEqual({ latency: 'ks', load: 'ks', rate: 'ks', gap: 'ks', flag: 'chi-square', sev: 'chi-square', count: 'chi-square', noise: 'ks' });
    for (const f of small.features) expect(f.adjustedPValue).not.toBeNull();
    for (const f of large.features) expect(f.pValue).toBeNull();
  });

  it('combines PSI with the primary test as psiMode says', async () => {
    const drifted = async (psiMode: 'primary' | 'both' | 'either') =>
      (await judge('largeSmallShift', resolveDriftOptions({ psiMode }))).features.filter((f) => f.drifted).map((f) => f.name);
    const latency = (await judge('largeSmallShift')).features.find((f) => f.name === 'latency')!;
    expect(latency).toMatchObject({ test: 'wasserstein', primaryDrift: true, psiDrift: false });
    expect(latency.psi).toBeGreaterThan(0.05);
    expect(await drifted('primary')).toEqual(['latency']);
    expect(await drifted('both')).toEqual([]);
    expect(await drifted('either')).toEqual(['latency']);
    expect((await judge('largeShifted', resolveDriftOptions({ psiMode: 'both' }))).features.filter((f) => f.drifted).map((f) => f.name).sort()).toEqual([...SHIFTED].sort());
  });

  it('measures a window above sampleRows on a deterministic hashed subsample and records it in every feature', async () => {
    const whole = await judge('largeSmallShift');
    const sampled = await measureWindow(db.client, sqlWindow('largeSmallShift'), profile, options, 4000);
    expect(sampled.rows).toBe(5000);
    expect(sampled.sampledRows).toBeGreaterThan(2000);
    expect(sampled.sampledRows).toBeLessThan(3000);
    expect(await measureWindow(db.client, sqlWindow('largeSmallShift'), profile, options, 4000)).toEqual(sampled);
    const features = judgeFeatures(profile.features, sampled.stats, options);
    for (const feature of features) {
      expect(feature.n).toBe(sampled.sampledRows);
      expect(feature.detail.sample).toEqual({ rows: sampled.sampledRows, of: 5000, dkwBound: Math.sqrt(Math.log(2000) / (2 * sampled.sampledRows!)) });
    }
    expect(features.filter((f) => f.drifted).map((f) => f.name)).toEqual(whole.features.filter((f) => f.drifted).map((f) => f.name));
    expect(whole.features.every((f) => f.detail.sample === undefined)).toBe(true);
  });

  it('judges nothing in a window with fewer rows than the minimum', async () => {
    const empty = await measureWindow(db.client, { tenant, featureSchemaVersion: SCHEMA_VERSION, from: T0 + 10 * HOUR, to: T0 + 11 * HOUR }, profile, options);
    expect(empty.rows).toBe(0);
    expect(judgeFeatures(profile.features, empty.stats, options)).toEqual([]);
  });
});

describe('the SQL aggregates equal the statistics computed in Node from the raw rows', () => {
  const close = (actual: number, expected: number): void => {
    expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  };

  it.each(Object.keys(windows) as WindowName[])('bucket counts and value cells of the %s window', async (name) => {
    const raw = windows[name].rows;
    const specs = histogramSpecs(profile);
    const histograms = await driftWindowHistograms(db.client, sqlWindow(name), specs);
    profile.features.forEach((feature, f) => {
      const categories = profileCategories(feature);
      const spec = specs[f]!;
      const expected = new Array<number>((histograms[f] as { counts: number[] }).counts.length).fill(0);
      const cells = new Map<string, ValueCell & { cell: number }>();
      for (const v of column(raw, f)) {
        const bucket = categories === null ? binOf(v, feature.psi.edges) : categories.values.indexOf(v) + 1;
        expected[bucket] = (expected[bucket] as number) + 1;
        if (!('cells' in spec)) continue;
        const cell = cellOf(v, spec.cells);
        const group = cells.get(`${cell}:${bucket}`) ?? { cell, psiBin: bucket, count: 0, min: v, max: v };
        cells.set(`${cell}:${bucket}`, { ...group, count: group.count + 1, min: Math.min(group.min, v), max: Math.max(group.max, v) });
      }
      const expectedCells = categories === null ? [...cells.values()].sort((a, b) => a.cell - b.cell || a.psiBin - b.psiBin).map(({ cell: _, ...group }) => group) : null;
      expect(histograms[f]).toEqual({ n: raw.length, counts: expected, cells: expectedCells });
    });
  });

  it('counts a retried insert once in a large window too (FINAL only when the window holds duplicates)', async () => {
    expect(await driftWindowRows(db.client, sqlWindow('largeShifted'))).toEqual({ rows: 3100, alerts: 3000 });
    expect(await driftWindowRows(db.client, sqlWindow('largeSame'))).toEqual({ rows: 3000, alerts: 3000 });
    expect((await judge('largeShifted')).rows).toBe(3000);
  });

  it.each(['largeSame', 'largeShifted', 'largeSmallShift'] as const)('quantile grid from the value cells, normalised Wasserstein, PSI and Jensen–Shannon of the %s window', async (name) => {
    const raw = windows[name].rows;
    const { features } = await judge(name);
    const specs = histogramSpecs(profile);
    const histograms = await driftWindowHistograms(db.client, sqlWindow(name), specs);
    profile.features.forEach((feature, f) => {
      if (feature.categories !== null) return;
      const sorted = column(raw, f).sort();
      const exactGrid = GRID_LEVELS.map((u) => orderStatistic(sorted, u));
      const grid = gridFromCells(histograms[f]!.cells!, GRID_LEVELS);
      // Each level lies in its cell, between the cell's least and greatest value; the bound is their mean spread.
      const meanError = GRID_LEVELS.reduce((a, _, k) => a + Math.abs(grid.values[k]! - exactGrid[k]!), 0) / GRID_LEVELS.length;
      expect(meanError).toBeLessThanOrEqual(grid.errorBound + 1e-12);
      const std = Math.max(populationStd(feature), options.minStd);
      expect(grid.errorBound / std).toBeLessThan(0.02);
      const judged = features.find((j) => j.name === feature.name)!;
      expect(judged.statistic).toBe(gridWasserstein(feature.grid, grid.values, populationStd(feature), options.minStd));
      expect(judged.detail.gridErrorBound).toBe(grid.errorBound / std);
      // Against the grid of exact order statistics (the statistic before value cells): within the reported bound.
      expect(Math.abs(judged.statistic - gridWasserstein(feature.grid, exactGrid, populationStd(feature), options.minStd))).toBeLessThanOrEqual(grid.errorBound / std + 1e-12);
      // The grid is an estimate of the exact W1 (docs/drift.md): close, not equal.
      expect(Math.abs(judged.statistic - normalizedWassersteinDistance(column(reference, f), column(raw, f)))).toBeLessThan(0.02);
      close(judged.psi, populationStabilityIndex(column(reference, f), column(raw, f)).psi);
    });
    for (const judged of features.filter((f) => f.type === 'categorical')) {
      const f = NAMES.indexOf(judged.name as (typeof NAMES)[number]);
      const { refCounts, curCounts } = categoryCounts(f, raw);
      close(judged.statistic, jensenShannonDistance(refCounts, curCounts));
    }
  });

  it.each(['smallSame', 'smallShifted'] as const)('KS and chi-square of the %s window', async (name) => {
    const raw = windows[name].rows;
    const { features } = await judge(name);
    for (const judged of features) {
      const f = NAMES.indexOf(judged.name as (typeof NAMES)[number]);
      if (judged.type === 'numeric') {
        const ks = ksTwoSample(column(reference, f), column(raw, f));
        close(judged.statistic, ks.statistic);
        close(judged.pValue!, ks.pValue);
      } else {
        const { refCounts, curCounts } = categoryCounts(f, raw);
        const chi = chiSquareHomogeneity(refCounts, curCounts);
        close(judged.statistic, chi.statistic);
        close(judged.pValue!, chi.pValue);
      }
    }
  });
});

/** Counts over the union of categories of the reference and the window, from the raw rows. */
function categoryCounts(f: number, raw: readonly Float32Array[]): { refCounts: number[]; curCounts: number[] } {
  const values = [...new Set([...column(reference, f), ...column(raw, f)])].sort((a, b) => a - b);
  const count = (rows: Float64Array) => values.map((v) => rows.filter((x) => x === v).length);
  return { refCounts: count(column(reference, f)), curCounts: count(column(raw, f)) };
}
