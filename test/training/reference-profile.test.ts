import { describe, expect, it } from 'vitest';
import { populationStabilityIndex } from '../../shared/stats/index.js';
import { FEATURE_COUNT, FEATURE_NAMES } from '../../workers/scoring/feature-schema.js';
import { binOf, decodeSample, DRIFT_PROFILE_VERSION, GRID_LEVELS, orderStatistic, referenceProfile, SAMPLE_SIZE } from '../../workers/training/reference-profile.js';
import type { TrainingSet } from '../../workers/training/trainer.js';
import { prng } from '../helpers/prng.js';

/** `rows` × FEATURE_COUNT: even columns continuous, odd ones small integers (categorical). */
function set(rows: number, seed = 3): TrainingSet {
  const random = prng(seed);
  const features = new Float32Array(rows * FEATURE_COUNT);
  for (let i = 0; i < features.length; i += 1) features[i] = (i % FEATURE_COUNT) % 2 === 0 ? random() * 100 - 50 : Math.floor(random() * 4);
  return { features, labels: Uint8Array.from({ length: rows }, (_, r) => (r % 3 === 0 ? 1 : 0)), nRows: rows, nFeatures: FEATURE_COUNT };
}

const columnOf = (s: TrainingSet, f: number): Float64Array => Float64Array.from({ length: s.nRows }, (_, r) => s.features[r * s.nFeatures + f] as number);

describe('reference profile', () => {
  it('profiles counts, moments, quantiles, categories and the label mix', () => {
    const s = set(500);
    const profile = referenceProfile(s, FEATURE_NAMES, 1);
    expect(profile).toMatchObject({ featureSchemaVersion: 1, driftVersion: DRIFT_PROFILE_VERSION, rows: 500, positives: 167 });
    expect(profile.features.map((f) => f.name)).toEqual(FEATURE_NAMES);
    const categorical = profile.features[1]!;
    expect(Object.values(categorical.categories!).reduce((a, b) => a + b, 0)).toBe(500);
    expect(categorical.sample).toBe('');
    expect(profile.features[0]!.categories).toBeNull();
    expect(profile.features[0]!.quantiles).toHaveLength(21);
  });

  it('stores PSI bins that reproduce populationStabilityIndex on the training column', () => {
    const s = set(800);
    const feature = referenceProfile(s, FEATURE_NAMES, 1).features[0]!;
    const column = columnOf(s, 0);
    const psi = populationStabilityIndex(column, column);
    expect(feature.psi.edges).toEqual(psi.edges);
    expect(feature.psi.counts.map((c) => c / 800)).toEqual(psi.referenceShares);
    expect(feature.psi.counts.reduce((a, b) => a + b, 0)).toBe(800);
    for (const v of column) expect(binOf(v, feature.psi.edges)).toBeLessThan(feature.psi.counts.length);
  });

  it('stores the quantile grid as order statistics, as ClickHouse quantilesExact picks them', () => {
    const s = set(777);
    const feature = referenceProfile(s, FEATURE_NAMES, 1).features[2]!;
    const sorted = columnOf(s, 2).sort();
    expect(feature.grid).toEqual(GRID_LEVELS.map((u) => sorted[Math.min(Math.floor(u * 777), 776)]));
    expect(orderStatistic(sorted, 1)).toBe(sorted[776]);
  });

  it('keeps a short column whole as its KS sample and a long one as stratified order statistics', () => {
    const short = set(SAMPLE_SIZE);
    expect(Array.from(decodeSample(referenceProfile(short, FEATURE_NAMES, 1).features[0]!.sample))).toEqual(Array.from(columnOf(short, 0)));
    const long = set(5000);
    const sample = decodeSample(referenceProfile(long, FEATURE_NAMES, 1).features[0]!.sample);
    const sorted = columnOf(long, 0).sort();
    expect(sample).toHaveLength(SAMPLE_SIZE);
    expect(sample[0]).toBe(sorted[2]);
    expect(sample[SAMPLE_SIZE - 1]).toBe(sorted[4997]);
  });

  it('stays under 200 KB for the whole feature schema, every feature continuous', () => {
    const random = prng(9);
    const rows = 20_000;
    const features = Float32Array.from({ length: rows * FEATURE_COUNT }, () => random() * 1e6 - 5e5);
    const profile = referenceProfile({ features, labels: new Uint8Array(rows), nRows: rows, nFeatures: FEATURE_COUNT }, FEATURE_NAMES, 1);
    expect(Buffer.byteLength(JSON.stringify(profile))).toBeLessThan(200_000);
  });
});
