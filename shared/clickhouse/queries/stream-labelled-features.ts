import type { ClickHouseClient } from '@clickhouse/client';
import { latestOutcomesSql } from './latest-outcomes-sql.js';
import { sqlNumber, sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** One labelled alert as training reads it: the features stored at scoring time and its latest label. */
export interface LabelledFeatureRow {
  alert_id: string;
  service: string;
  event_time: string;
  event_time_ms: number;
  values: number[];
  outcome: 'actionable' | 'noise';
}

/** Which labelled alerts {@link streamLabelledFeatures} reads. */
export interface LabelledFeatureQuery {
  tenant: string;
  featureSchemaVersion: number;
  /** Event-time window, epoch ms, `[from, to)`; the whole history when absent. */
  from?: number;
  to?: number;
}

/**
 * Streams, in event-time order, every alert of a tenant that has stored features of the given schema
 * version and at least one outcome; the outcome received last wins (argMax: outcomes of one alert in
 * different partitions survive FINAL, see 0004_outcomes.sql). Unlabelled alerts are left out, never
 * counted as noise. The service comes from the decision (features do not carry it).
 */
export async function streamLabelledFeatures(client: ClickHouseClient, query: LabelledFeatureQuery, onRow: (row: LabelledFeatureRow) => void): Promise<void> {
  const window = [
    query.from === undefined ? '' : `AND event_time >= ${sqlString(toDateTime(query.from, 'from'))}`,
    query.to === undefined ? '' : `AND event_time < ${sqlString(toDateTime(query.to, 'to'))}`,
  ].join(' ');
  const tenant = sqlString(query.tenant);
  const result = await client.query({
    // 18.16 takes one JOIN per SELECT, hence the nesting.
    query: `SELECT alert_id, service, event_time, event_time_ms, values, outcome
      FROM (
        SELECT alert_id, event_time, event_time_ms, values, outcome
        FROM (
          SELECT alert_id, event_time, event_time_ms, values FROM features FINAL
          WHERE tenant = ${tenant} AND feature_schema_version = ${sqlNumber(query.featureSchemaVersion)} ${window}
        )
        ANY INNER JOIN (
          ${latestOutcomesSql(query.tenant)}
        ) USING (alert_id)
      )
      ANY LEFT JOIN (
        SELECT alert_id, service FROM decisions FINAL WHERE tenant = ${tenant}
      ) USING (alert_id)
      ORDER BY event_time, event_time_ms, alert_id`,
    format: 'JSONEachRow',
  });
  for await (const rows of result.stream<LabelledFeatureRow>()) {
    for (const row of rows) onRow(row.json());
  }
}
