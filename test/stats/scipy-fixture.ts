import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A sample stored inline, or described by the MINSTD generator that scripts/fixtures/stats_fixture.py uses. */
export type FixtureSample =
  | number[]
  | { lcg: { seed: number; n: number; loc: number; scale: number; terms: number; quantum: number | null } };

export interface StatsFixture {
  header: Record<string, string | number>;
  ksTwoSample: { name: string; a: FixtureSample; b: FixtureSample; statistic: number; pvalue: number }[];
  kstwo: { n: number; d: number; sf: number }[];
  psi: {
    name: string;
    reference: number[];
    current: number[];
    bins: number;
    epsilon: number;
    psi: number;
    edges: number[];
    referenceShares: number[];
    currentShares: number[];
  }[];
  chiSquare: (
    | { name: string; reference: number[]; current: number[]; statistic: number; pvalue: number; dof: number; mergedCategories: number }
    | { name: string; x: number; dof: number; pvalue: number }
  )[];
  wasserstein: { name: string; reference: FixtureSample; current: FixtureSample; distance: number; normalized: number }[];
  jensenShannon: { name: string; p: number[]; q: number[]; base: number; distance: number }[];
  multipleTesting: { name: string; pvalues: number[]; bonferroni: number[]; benjaminiHochberg: number[] }[];
}

export const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/stats/scipy-stats.json', import.meta.url), 'utf8'),
) as StatsFixture;

/** Expands a fixture sample with the same IEEE-754 steps as the Python generator. */
export function expand(sample: FixtureSample): number[] {
  if (Array.isArray(sample)) return sample;
  const { seed, n, loc, scale, terms, quantum } = sample.lcg;
  let state = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < terms; t++) {
      state = (state * 48271) % 2147483647;
      s = s + state / 2147483647;
    }
    const v = loc + scale * s;
    out.push(quantum === null ? v : Math.floor(v * quantum) / quantum);
  }
  return out;
}

/** Relative error, 0 when both are 0. */
export function relativeError(actual: number, expected: number): number {
  if (actual === expected) return 0;
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** Relative tolerance of the brief: 1e-9, relaxed to 1e-6 for p-values below 1e-10. */
export function expectScipyClose(actual: number, expected: number, label: string): void {
  const tolerance = Math.abs(expected) < 1e-10 ? 1e-6 : 1e-9;
  expect(relativeError(actual, expected), `${label}: got ${actual}, scipy ${expected}`).toBeLessThanOrEqual(tolerance);
}
