import type { ClickHouseClient } from '@clickhouse/client';
import type { DecisionRow } from '../rows.js';
import { sqlList, sqlString } from '../sql-escape.js';

// Ids go into the statement text; 18.16's max_query_size (256 KiB) bounds how many fit in one.
const IDS_PER_QUERY = 2000;

/** The stored decision (one per alert, `FINAL`) for each of `alertIds` that has one. */
export async function decisionsFor(client: ClickHouseClient, tenant: string, alertIds: readonly string[]): Promise<DecisionRow[]> {
  const rows: DecisionRow[] = [];
  for (let i = 0; i < alertIds.length; i += IDS_PER_QUERY) {
    const result = await client.query({
      query: `SELECT * FROM decisions FINAL
        WHERE tenant = ${sqlString(tenant)} AND alert_id IN ${sqlList(alertIds.slice(i, i + IDS_PER_QUERY))}`,
      format: 'JSONEachRow',
    });
    rows.push(...(await result.json<DecisionRow>()));
  }
  return rows;
}
