import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';
import { fromDateTime } from '../rows.js';

/** When the newest model of (tenant, kind) was registered (epoch ms), or null when none was ever trained. */
export async function lastTrainingTime(client: ClickHouseClient, tenant: string, kind: string): Promise<number | null> {
  const result = await client.query({
    query: `SELECT count() AS n, max(created_at) AS last FROM models WHERE tenant = ${sqlString(tenant)} AND kind = ${sqlString(kind)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number | string; last: string }>();
  return Number(row?.n ?? 0) === 0 ? null : fromDateTime((row as { last: string }).last);
}
