import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlNumber } from '../sql-escape.js';
import { windowFeaturesSql, type DriftWindow } from './drift-window.js';

/** How to bucket one feature: by its reference categories, or by the reference PSI bin edges. */
export type HistogramSpec = { categories: readonly number[] } | { edges: readonly number[] };

/** Bucket counts of one feature in the window. */
export interface FeatureHistogram {
  /** Rows of the window (each carries every feature of the spec list). */
  n: number;
  /**
   * Categorical: `counts[0]` = values outside the reference categories, `counts[k]` = the k-th category.
   * Numeric: `counts[b]` = values in bin b, `[e₍b₋₁₎, e_b)`, outer bins open.
   */
  counts: number[];
}

/** The `countIf` conditions of one feature's buckets, in bucket order. */
function bucketConditions(spec: HistogramSpec, value: string): string[] {
  if ('categories' in spec) {
    const list = `[${spec.categories.map((c) => sqlNumber(c)).join(', ')}]`;
    return [spec.categories.length === 0 ? '1' : `NOT has(CAST(${list} AS Array(Float64)), ${value})`, ...spec.categories.map((c) => `${value} = ${sqlNumber(c)}`)];
  }
  const e = spec.edges.map((edge) => sqlNumber(edge));
  if (e.length === 0) return ['1'];
  return [`${value} < ${e[0]}`, ...e.slice(1).map((edge, b) => `${value} >= ${e[b]} AND ${value} < ${edge}`), `${value} >= ${e[e.length - 1]}`];
}

/**
 * Per-feature bucket counts of a window, aggregated inside ClickHouse in one pass without ARRAY JOIN:
 * one `countIf` per (feature, bucket) on `toFloat64(values[i])` — category equality (plus a `NOT has`
 * bucket for unseen values) or the PSI bin `[e₍b₋₁₎, e_b)`. `specs[i]` describes feature i (vector
 * order); rows whose vector is shorter than `specs` are left out.
 */
export async function driftWindowHistograms(client: ClickHouseClient, window: DriftWindow, specs: readonly HistogramSpec[]): Promise<FeatureHistogram[]> {
  if (specs.length === 0) throw new HushError('HUSH_ERR_INTERNAL', 'driftWindowHistograms needs at least one feature');
  const columns = specs.flatMap((spec, i) => bucketConditions(spec, `toFloat64(values[${i + 1}])`).map((condition, b) => `countIf(${condition}) AS h_${i}_${b}`));
  const result = await client.query({
    query: `SELECT count() AS n, ${columns.join(', ')}
      FROM (${windowFeaturesSql(window, 'values')}) WHERE length(values) >= ${specs.length}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, number | string>>();
  const n = Number(row?.n ?? 0);
  return specs.map((spec, i) => ({
    n,
    counts: Array.from({ length: 'categories' in spec ? spec.categories.length + 1 : spec.edges.length + 1 }, (_, b) => Number(row?.[`h_${i}_${b}`] ?? 0)),
  }));
}
