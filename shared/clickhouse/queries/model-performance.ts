import type { ClickHouseClient } from '@clickhouse/client';
import { sqlFilters, sqlRange, type TimeRange } from './sli-range.js';

export interface ModelPerformanceQuery extends TimeRange {
  tenant?: string;
}

/**
 * One model version of one tenant over the range (model_id '' = cold start, no model).
 * precision = actionable among labelled notified alerts.
 */
export interface ModelPerformanceRow {
  tenant: string;
  model_id: string;
  model_version: number;
  firing: number;
  suppressed: number;
  noise_reduction: number;
  labeled: number;
  actionable: number;
  actionable_suppressed: number;
  fnr: number;
  precision: number;
  e2e_p95_ms: number;
  inference_p99_ms: number;
}

export function modelPerformanceSql(query: ModelPerformanceQuery): string {
  const where = `${sqlRange('hour', query)}${sqlFilters(query)}`;
  return `SELECT tenant, model_id, model_version, firing, suppressed,
      if(firing = 0, 0, suppressed / firing) AS noise_reduction,
      labeled, actionable, actionable_suppressed,
      if(actionable = 0, 0, actionable_suppressed / actionable) AS fnr,
      if(actionable - actionable_suppressed + noise_notified = 0, 0,
         (actionable - actionable_suppressed) / (actionable - actionable_suppressed + noise_notified)) AS precision,
      e2e_p95_ms, inference_p99_ms
    FROM (
      SELECT tenant, model_id, model_version, sum(firing) AS firing, sum(suppressed) AS suppressed,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(e2e_us_q)[2] / 1000 AS e2e_p95_ms,
        quantilesTDigestMerge(0.5, 0.95, 0.99)(inference_us_q)[3] / 1000 AS inference_p99_ms
      FROM sli_tenant_hour WHERE ${where}
      GROUP BY tenant, model_id, model_version
    )
    ANY LEFT JOIN (
      SELECT tenant, model_id, model_version, sum(labeled) AS labeled, sum(actionable) AS actionable,
        sum(actionable_suppressed) AS actionable_suppressed, sum(noise_notified) AS noise_notified
      FROM sli_outcomes_hour WHERE ${where}
      GROUP BY tenant, model_id, model_version
    ) USING (tenant, model_id, model_version)
    ORDER BY tenant, model_id, model_version`;
}

/** Noise reduction, FNR, precision and latency per model version (decisions carry the model), from the hourly rollups. */
export async function modelPerformance(client: ClickHouseClient, query: ModelPerformanceQuery): Promise<ModelPerformanceRow[]> {
  const result = await client.query({ query: modelPerformanceSql(query), format: 'JSONEachRow' });
  return (await result.json<ModelPerformanceRow>()).map((r) => ({
    ...r,
    model_version: Number(r.model_version),
    firing: Number(r.firing),
    suppressed: Number(r.suppressed),
    labeled: Number(r.labeled),
    actionable: Number(r.actionable),
    actionable_suppressed: Number(r.actionable_suppressed),
  }));
}
