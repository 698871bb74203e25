import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';

/** Distinct alerts with a decision for `tenant` (retried inserts count once). */
export async function countDecisions(client: ClickHouseClient, tenant: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM decisions FINAL WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: number | string }>();
  return Number(row?.n ?? 0);
}
