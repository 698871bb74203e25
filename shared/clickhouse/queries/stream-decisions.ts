import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';

/** The part of a decision a replay report needs. */
export interface DecisionOutcomeRow {
  alert_id: string;
  decision: 'notify' | 'suppress';
  score: number | null;
  scoring_latency_us: number;
  e2e_latency_us: number;
}

/** Streams every decision of a tenant (one per alert, `FINAL`) without holding the result set twice. */
export async function streamDecisions(client: ClickHouseClient, tenant: string, onRow: (row: DecisionOutcomeRow) => void): Promise<void> {
  const result = await client.query({
    query: `SELECT alert_id, decision, score, scoring_latency_us, e2e_latency_us FROM decisions FINAL WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  for await (const rows of result.stream<DecisionOutcomeRow>()) {
    for (const row of rows) onRow(row.json());
  }
}
