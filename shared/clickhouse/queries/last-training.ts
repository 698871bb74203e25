import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';
import { fromDateTime } from '../rows.js';

/** The newest model of (tenant, kind): when it was registered (epoch ms), its id and its `metrics.trainRows`. */
export interface LastTraining {
  at: number;
  modelId: string;
  /** Labelled alerts it was trained on; null when its metrics do not say. */
  trainRows: number | null;
}

/** The newest model of (tenant, kind), promoted or not; null when none was ever trained. */
export async function lastTraining(client: ClickHouseClient, tenant: string, kind: string): Promise<LastTraining | null> {
  const result = await client.query({
    query: `SELECT count() AS n, max(created_at) AS last, argMax(model_id, created_at) AS model_id, argMax(metrics, created_at) AS metrics
      FROM models WHERE tenant = ${sqlString(tenant)} AND kind = ${sqlString(kind)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number | string; last: string; model_id: string; metrics: string }>();
  if (row === undefined || Number(row.n) === 0) return null;
  const trainRows = (JSON.parse(row.metrics) as { trainRows?: unknown }).trainRows;
  return { at: fromDateTime(row.last), modelId: row.model_id, trainRows: typeof trainRows === 'number' ? trainRows : null };
}
