import type { ClickHouseClient } from '@clickhouse/client';
import { HushError } from '../../errors/index.js';
import { sqlNumber } from '../sql-escape.js';
import { windowFeaturesSql, type DriftWindow } from './drift-window.js';

/** Count and order statistics of one feature in the window. */
export interface FeatureQuantiles {
  n: number;
  /** x₍min(⌊u·n⌋, n−1)₎ of the window's values at each requested level u (ClickHouse `quantilesExact`). */
  values: number[];
}

/**
 * Per-feature exact order statistics of a window at `levels`, computed inside ClickHouse: one
 * `quantilesExact(levels)(values[i])` per feature at the 0-based `indices`, in one pass. Rows whose
 * vector is too short for the largest index are left out. The result is in the order of `indices`.
 */
export async function driftWindowQuantiles(client: ClickHouseClient, window: DriftWindow, indices: readonly number[], levels: readonly number[]): Promise<FeatureQuantiles[]> {
  if (levels.length === 0) throw new HushError('HUSH_ERR_INTERNAL', 'driftWindowQuantiles needs at least one level');
  if (indices.length === 0) return [];
  const list = levels.map((u) => sqlNumber(u)).join(', ');
  const columns = indices.map((index, k) => `quantilesExact(${list})(values[${sqlNumber(index + 1)}]) AS q_${k}`);
  const result = await client.query({
    query: `SELECT count() AS n, ${columns.join(', ')}
      FROM (${windowFeaturesSql(window, 'values')}) WHERE length(values) >= ${sqlNumber(Math.max(...indices) + 1)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, number | string | (number | string)[]>>();
  const n = Number(row?.n ?? 0);
  // Values are Float32 in the table; fround undoes the shortest-decimal text they travel as.
  return indices.map((_, k) => ({ n, values: n === 0 ? [] : ((row?.[`q_${k}`] ?? []) as (number | string)[]).map((v) => Math.fround(Number(v))) }));
}
