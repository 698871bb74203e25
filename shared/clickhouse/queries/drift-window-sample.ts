import type { ClickHouseClient } from '@clickhouse/client';
import { sqlNumber } from '../sql-escape.js';
import { windowFeaturesSql, type DriftWindow } from './drift-window.js';

/**
 * At most `limit` feature vectors of a window, in event-time order: the raw values a KS test needs for a
 * small window (the drift worker asks only when the window has no more rows than the limit).
 */
export async function driftWindowSample(client: ClickHouseClient, window: DriftWindow, limit: number): Promise<Float32Array[]> {
  const result = await client.query({
    query: `SELECT values FROM (${windowFeaturesSql(window, 'alert_id, event_time, event_time_ms, values')})
      ORDER BY event_time, event_time_ms, alert_id LIMIT ${sqlNumber(Math.max(0, Math.floor(limit)))}`,
    format: 'JSONEachRow',
  });
  return (await result.json<{ values: (number | string)[] }>()).map((row) => Float32Array.from(row.values, Number));
}
