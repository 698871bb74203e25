import type { Queue } from 'bullmq';
import type { ClickHouseClient } from '../../shared/clickhouse/client.js';
import type { Alert } from '../../schemas/alert.js';
import { parseAlert } from '../../schemas/parse-alert.js';
import { generateWorld } from '../../synth/index.js';
import { queryRows } from '../helpers/fleet.js';

/** A synth stream for one tenant, validated as the producer side does (`parseAlert`). */
export function synthAlerts(options: { seed: number; tenant: string; alerts: number }): Alert[] {
  const alerts: Alert[] = [];
  for (const record of generateWorld({ seed: options.seed, days: 1, tenant: options.tenant, alerts: options.alerts })) {
    if (record.kind !== 'alert') continue;
    const parsed = parseAlert(record.alert, { tenant: options.tenant });
    if (!parsed.ok) throw new Error(`synth alert did not parse: ${JSON.stringify(parsed.error)}`);
    alerts.push(parsed.value);
  }
  return alerts;
}

/** Ids of the firing alerts (each needs exactly one decision). */
export function firingIds(alerts: readonly Alert[]): Set<string> {
  return new Set(alerts.filter((a) => a.status === 'firing').map((a) => a.id));
}

/** Distinct alerts with a decision (`FINAL`) and raw decision rows, for the whole database. */
export async function decisionCounts(client: ClickHouseClient): Promise<{ final: number; distinct: number }> {
  const [row] = await queryRows<{ final: number; distinct: number }>(client, 'SELECT count() AS final, uniqExact(alert_id) AS distinct FROM decisions FINAL');
  return { final: Number(row?.final ?? 0), distinct: Number(row?.distinct ?? 0) };
}

/**
 * Exactly-once check. Raw duplicate rows are allowed (at-least-once writes into a ReplacingMergeTree)
 * but must be the same decision; after `OPTIMIZE … FINAL` every alert id has one row even without
 * `FINAL`, the `FINAL` count equals the distinct ids, and the ids are exactly `expected`.
 */
export async function expectExactlyOneDecisionEach(
  client: ClickHouseClient,
  expected: ReadonlySet<string>,
): Promise<{ conflicting: number; duplicates: number; missing: string[]; unexpected: string[]; final: number; distinct: number }> {
  const [conflict] = await queryRows<{ n: number }>(
    client,
    `SELECT count() AS n FROM (
       SELECT alert_id, uniqExact(decision, model_id, model_version, ifNull(score, -1), threshold) AS variants
       FROM decisions GROUP BY tenant, alert_id HAVING variants > 1)`,
  );
  let duplicates = -1;
  // A background merge in progress makes OPTIMIZE a no-op (18.16 says so only with optimize_throw_if_noop).
  for (let attempt = 0; attempt < 20 && duplicates !== 0; attempt += 1) {
    try {
      await client.command({ query: 'OPTIMIZE TABLE decisions FINAL', clickhouse_settings: { optimize_throw_if_noop: 1 } });
    } catch {
      await sleep(500);
      continue;
    }
    const [dup] = await queryRows<{ n: number }>(client, 'SELECT count() AS n FROM (SELECT alert_id, count() AS c FROM decisions GROUP BY tenant, alert_id HAVING c > 1)');
    duplicates = Number(dup?.n ?? 0);
  }
  const ids = new Set((await queryRows<{ alert_id: string }>(client, 'SELECT alert_id FROM decisions FINAL')).map((r) => r.alert_id));
  const { final, distinct } = await decisionCounts(client);
  return {
    conflicting: Number(conflict?.n ?? 0),
    duplicates,
    missing: [...expected].filter((id) => !ids.has(id)).slice(0, 10),
    unexpected: [...ids].filter((id) => !expected.has(id)).slice(0, 10),
    final,
    distinct,
  };
}

/** Jobs of a queue not yet completed (waiting, active, delayed). */
export async function pendingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'waiting-children');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
