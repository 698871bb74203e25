import type { ClickHouseClient } from '@clickhouse/client';
import { latestOutcomesSql } from './latest-outcomes-sql.js';
import { sqlNumber, sqlString } from '../sql-escape.js';
import { fromDateTime, toDateTime } from '../rows.js';

/** A tenant's labelled alerts in event-time order, as counts and picks. */
export interface LabelledAlertTimes {
  count(): Promise<number>;
  /** Event time (epoch ms) of the alert at `index` in event-time order. */
  eventTimeAt(index: number): Promise<number>;
  /** Actionable-labelled alerts with an event time at or after `fromMs`, a whole second. */
  actionableFrom(fromMs: number): Promise<number>;
}

/**
 * The alerts training and evaluation read (`streamLabelledFeatures`: stored features of
 * `featureSchemaVersion` ⨝ the label received last), each figure one query aggregated in ClickHouse: no
 * alert rows leave it.
 */
export function labelledAlertTimes(client: ClickHouseClient, tenant: string, featureSchemaVersion: number): LabelledAlertTimes {
  const labelled = `(
      SELECT event_time, event_time_ms, outcome
      FROM (
        SELECT alert_id, event_time, event_time_ms FROM features FINAL
        WHERE tenant = ${sqlString(tenant)} AND feature_schema_version = ${sqlNumber(featureSchemaVersion)}
      )
      ANY INNER JOIN (
        ${latestOutcomesSql(tenant)}
      ) USING (alert_id)
    )`;
  const one = async <Row>(query: string): Promise<Row | undefined> => {
    const rows = await (await client.query({ query, format: 'JSONEachRow' })).json<Row>();
    return rows[0];
  };
  return {
    count: async () => Number((await one<{ n: string | number }>(`SELECT count() AS n FROM ${labelled}`))?.n ?? 0),
    eventTimeAt: async (index) => {
      const row = await one<{ event_time: string; event_time_ms: number }>(
        `SELECT event_time, event_time_ms FROM ${labelled} ORDER BY event_time, event_time_ms LIMIT ${sqlNumber(index)}, 1`,
      );
      if (row === undefined) throw new RangeError(`no labelled alert at index ${index} of tenant ${tenant}`);
      return fromDateTime(row.event_time, row.event_time_ms);
    },
    actionableFrom: async (fromMs) =>
      Number((await one<{ n: string | number }>(`SELECT countIf(outcome = 'actionable') AS n FROM ${labelled} WHERE event_time >= ${sqlString(toDateTime(fromMs))}`))?.n ?? 0),
  };
}
