import type { DriftOptions } from '../../workers/drift/drift-options.js';
import { profileCategories, type FeatureWindowStats } from '../../workers/drift/feature-drift.js';
import { GRID_LEVELS, binOf, orderStatistic, type ReferenceProfile } from '../../workers/training/reference-profile.js';

/**
 * The aggregates `measureWindow` gets from ClickHouse, computed in memory from the same Float32 values by
 * the same rules: bucket counts (category equality or PSI bins `[e₍b₋₁₎, e_b)`), the raw values of a small
 * numeric window, the `quantilesExact` order statistics of a large one. `columns[i]` is feature i.
 */
export function measureInMemory(profile: ReferenceProfile, columns: readonly Float32Array[], options: DriftOptions): FeatureWindowStats[] {
  return profile.features.map((feature, i) => {
    const values = columns[i] as Float32Array;
    const categories = profileCategories(feature);
    const counts = new Array<number>(categories === null ? feature.psi.edges.length + 1 : categories.values.length + 1).fill(0);
    for (const value of values) {
      const bucket = categories === null ? binOf(value, feature.psi.edges) : categories.values.indexOf(value) + 1;
      counts[bucket] = (counts[bucket] as number) + 1;
    }
    const n = values.length;
    const small = n <= options.smallWindowMax;
    const numeric = categories === null && n > 0;
    const sorted = numeric && !small ? Float32Array.from(values).sort() : null;
    return {
      n,
      counts,
      grid: sorted === null ? null : GRID_LEVELS.map((u) => orderStatistic(sorted, u)),
      sample: numeric && small ? values : null,
    };
  });
}
