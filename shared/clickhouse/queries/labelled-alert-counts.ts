import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** Distinct labelled alerts of a tenant whose label arrived at or after each of two times. */
export interface LabelledAlertCounts {
  sinceVolume: number;
  sinceTraining: number;
}

/**
 * Distinct alerts of `tenant` labelled (by receipt time) since `volumeSince` and since `trainingSince`
 * (epoch ms), in one pass: the volume that picks a tenant's retraining class and the new labels a
 * retraining would add.
 */
export async function labelledAlertCounts(client: ClickHouseClient, tenant: string, volumeSince: number, trainingSince: number): Promise<LabelledAlertCounts> {
  const result = await client.query({
    query: `SELECT uniqExactIf(alert_id, received_at >= ${sqlString(toDateTime(volumeSince, 'volumeSince'))}) AS volume,
        uniqExactIf(alert_id, received_at >= ${sqlString(toDateTime(trainingSince, 'trainingSince'))}) AS training
      FROM outcomes WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ volume: number | string; training: number | string }>();
  return { sinceVolume: Number(row?.volume ?? 0), sinceTraining: Number(row?.training ?? 0) };
}
