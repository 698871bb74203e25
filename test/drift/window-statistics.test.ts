import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { driftWindowHistograms } from '../../shared/clickhouse/queries/drift-window-histograms.js';
import { driftWindowQuantiles } from '../../shared/clickhouse/queries/drift-window-quantiles.js';
import { chiSquareHomogeneity, jensenShannonDistance, ksTwoSample, normalizedWassersteinDistance, populationStabilityIndex } from '../../shared/stats/index.js';
import { resolveDriftOptions } from '../../workers/drift/drift-options.js';
import { gridWasserstein, judgeFeatures, populationStd, profileCategories, type FeatureDrift } from '../../workers/drift/feature-drift.js';
import { measureWindow } from '../../workers/drift/measure-window.js';
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
  // A retried insert of the same alerts must count once (features FINAL).
  await storeFeatures(db.client, tenant, windows.smallSame.rows, windows.smallSame.from, HOUR, 'smallSame');
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

  it.each(Object.keys(windows) as WindowName[])('bucket counts of the %s window', async (name) => {
    const raw = windows[name].rows;
    const specs = profile.features.map((f) => {
      const categories = profileCategories(f);
      return categories === null ? { edges: f.psi.edges } : { categories: categories.values };
    });
    const histograms = await driftWindowHistograms(db.client, sqlWindow(name), specs);
    profile.features.forEach((feature, f) => {
      const categories = profileCategories(feature);
      const expected = new Array<number>((histograms[f] as { counts: number[] }).counts.length).fill(0);
      for (const v of column(raw, f)) {
        const bucket = categories === null ? binOf(v, feature.psi.edges) : categories.values.indexOf(v) + 1;
        expected[bucket] = (expected[bucket] as number) + 1;
      }
      expect(histograms[f]).toEqual({ n: raw.length, counts: expected });
    });
  });

  it.each(['largeSame', 'largeShifted'] as const)('quantile grid, normalised Wasserstein, PSI and Jensen–Shannon of the %s window', async (name) => {
    const raw = windows[name].rows;
    const { features } = await judge(name);
    const numeric = profile.features.flatMap((f, i) => (f.categories === null ? [i] : []));
    const grids = await driftWindowQuantiles(db.client, sqlWindow(name), numeric, GRID_LEVELS);
    numeric.forEach((f, k) => {
      const sorted = column(raw, f).sort();
      const expectedGrid = GRID_LEVELS.map((u) => orderStatistic(sorted, u));
      expect(grids[k]?.values).toEqual(expectedGrid);
      const feature = profile.features[f]!;
      const judged = features.find((j) => j.name === feature.name)!;
      expect(judged.statistic).toBe(gridWasserstein(feature.grid, expectedGrid, populationStd(feature), options.minStd));
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
