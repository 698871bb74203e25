import type { ClickHouseClient } from '@clickhouse/client';
import { sqlFilters, sqlRange, stepSource, type TimeRange, type TrendStep } from './sli-range.js';

export interface LatencyPercentilesQuery extends TimeRange {
  step: TrendStep;
  tenant?: string;
  service?: string;
}

/** Approximate (t-digest) percentiles per step, in ms: e2e = enqueue → decision, inference = model. */
export interface LatencyPercentilesRow {
  time: string;
  decisions: number;
  e2e_p50_ms: number;
  e2e_p95_ms: number;
  e2e_p99_ms: number;
  inference_p50_ms: number;
  inference_p95_ms: number;
  inference_p99_ms: number;
  freshness_p99_s: number;
}

export function latencyPercentilesSql(query: LatencyPercentilesQuery): string {
  // Without a service filter the per-tenant rollup (0009) answers: far fewer t-digests to merge.
  const s = query.service === undefined && query.step !== 'minute' ? { ...stepSource(query.step, 'decisions'), table: 'sli_tenant_hour' } : stepSource(query.step, 'decisions');
  return `SELECT time, decisions,
      e2e[1] / 1000 AS e2e_p50_ms, e2e[2] / 1000 AS e2e_p95_ms, e2e[3] / 1000 AS e2e_p99_ms,
      inference[1] / 1000 AS inference_p50_ms, inference[2] / 1000 AS inference_p95_ms, inference[3] / 1000 AS inference_p99_ms,
      freshness[3] AS freshness_p99_s
    FROM (
      SELECT ${s.bucket} AS time, sum(firing) AS decisions,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(e2e_us_q) AS e2e,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(inference_us_q) AS inference,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(freshness_s_q) AS freshness
      FROM ${s.table}
      WHERE ${sqlRange(s.column, query)}${sqlFilters(query)}
      GROUP BY time
    )
    ORDER BY time`;
}

/** Latency and freshness percentiles over time from the rollups' t-digest states. */
export async function latencyPercentiles(client: ClickHouseClient, query: LatencyPercentilesQuery): Promise<LatencyPercentilesRow[]> {
  const result = await client.query({ query: latencyPercentilesSql(query), format: 'JSONEachRow' });
  return (await result.json<LatencyPercentilesRow>()).map((r) => ({ ...r, decisions: Number(r.decisions) }));
}
