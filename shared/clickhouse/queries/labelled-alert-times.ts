import type { ClickHouseClient } from '@clickhouse/client';
import { latestOutcomesSql } from './latest-outcomes-sql.js';
import { sqlNumber, sqlString } from '../sql-escape.js';
import { fromDateTime } from '../rows.js';

/** Labelled alerts in event-time order: each one's event time (epoch ms) and label (1 = actionable). */
export interface LabelledAlertTimes {
  eventTimes: Float64Array;
  labels: Uint8Array;
}

/**
 * The event times and latest labels of the alerts training and evaluation read (`streamLabelledFeatures`:
 * stored features of `featureSchemaVersion` ⨝ the label received last), without their features.
 */
export async function labelledAlertTimes(client: ClickHouseClient, tenant: string, featureSchemaVersion: number): Promise<LabelledAlertTimes> {
  const result = await client.query({
    query: `SELECT event_time, event_time_ms, outcome
      FROM (
        SELECT alert_id, event_time, event_time_ms FROM features FINAL
        WHERE tenant = ${sqlString(tenant)} AND feature_schema_version = ${sqlNumber(featureSchemaVersion)}
      )
      ANY INNER JOIN (
        ${latestOutcomesSql(tenant)}
      ) USING (alert_id)
      ORDER BY event_time, event_time_ms`,
    format: 'JSONEachRow',
  });
  const times: number[] = [];
  const labels: number[] = [];
  for await (const rows of result.stream<{ event_time: string; event_time_ms: number; outcome: string }>()) {
    for (const row of rows) {
      const { event_time, event_time_ms, outcome } = row.json();
      times.push(fromDateTime(event_time, event_time_ms));
      labels.push(outcome === 'actionable' ? 1 : 0);
    }
  }
  return { eventTimes: Float64Array.from(times), labels: Uint8Array.from(labels) };
}
