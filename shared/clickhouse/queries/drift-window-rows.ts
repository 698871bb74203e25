import type { ClickHouseClient } from '@clickhouse/client';
import { windowFeaturesSql, type DriftWindow } from './drift-window.js';

/** Stored rows of a window, before FINAL, and how many distinct alerts they hold. */
export interface WindowRows {
  rows: number;
  /** Distinct alert ids (by a 64-bit hash: a collision can only make duplicates appear, never hide them). */
  alerts: number;
}

/**
 * Counts a window's stored rows and distinct alerts without FINAL (reads the key columns only). When
 * they are equal no retried insert left a duplicate in the window, and its aggregates can skip FINAL.
 */
export async function driftWindowRows(client: ClickHouseClient, window: DriftWindow): Promise<WindowRows> {
  const result = await client.query({
    query: `SELECT count() AS rows, uniqExact(cityHash64(alert_id)) AS alerts FROM (${windowFeaturesSql(window, 'alert_id', { final: false })})`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ rows: number | string; alerts: number | string }>();
  return { rows: Number(row?.rows ?? 0), alerts: Number(row?.alerts ?? 0) };
}
