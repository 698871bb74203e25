import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';

/** Distinct alerts of `tenant` with at least one stored outcome. */
export async function countLabelledAlerts(client: ClickHouseClient, tenant: string): Promise<number> {
  const result = await client.query({
    query: `SELECT uniqExact(alert_id) AS n FROM outcomes WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number | string }>();
  return Number(row?.n ?? 0);
}
