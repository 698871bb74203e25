import type { ClickHouseClient } from '@clickhouse/client';
import { sqlString } from '../sql-escape.js';

/** DESIGN §4's noise reduction for one tenant: suppressed alerts / all firing alerts with a decision. */
export interface DecisionSummary {
  alerts: number;
  notified: number;
  suppressed: number;
  /** 0 when there are no decisions yet. */
  noise_reduction: number;
}

export async function decisionSummary(client: ClickHouseClient, tenant: string): Promise<DecisionSummary> {
  const result = await client.query({
    query: `SELECT
        count() AS alerts,
        countIf(decision = 'notify') AS notified,
        countIf(decision = 'suppress') AS suppressed
      FROM decisions FINAL
      WHERE tenant = ${sqlString(tenant)}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<'alerts' | 'notified' | 'suppressed', number | string>>();
  const alerts = Number(row?.alerts ?? 0);
  const suppressed = Number(row?.suppressed ?? 0);
  return { alerts, notified: Number(row?.notified ?? 0), suppressed, noise_reduction: alerts === 0 ? 0 : suppressed / alerts };
}
