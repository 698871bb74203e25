import type { ClickHouseClient } from '@clickhouse/client';
import { latestOutcomesSql } from './latest-outcomes-sql.js';
import { sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** A live decision of one model that has since been labelled. */
export interface LiveLabelledDecision {
  decision: 'notify' | 'suppress';
  /** The model's score for the alert. */
  score: number;
  outcome: 'actionable' | 'noise';
  /** UTC day of the alert's event time (days since the epoch). */
  day: number;
}

/**
 * The decisions `modelId` made for alerts with event time ≥ `since` that have a label (the latest
 * received wins), to watch the live champion for degradation. 18.16 takes one JOIN per SELECT.
 */
export async function liveLabelledDecisions(client: ClickHouseClient, tenant: string, modelId: string, since: number): Promise<LiveLabelledDecision[]> {
  const result = await client.query({
    query: `SELECT decision, score, outcome, day FROM (
        SELECT alert_id, decision, score, intDiv(toUInt32(event_time), 86400) AS day FROM decisions FINAL
        WHERE tenant = ${sqlString(tenant)} AND model_id = ${sqlString(modelId)} AND event_time >= ${sqlString(toDateTime(since, 'since'))}
      )
      ANY INNER JOIN (
        ${latestOutcomesSql(tenant)}
      ) USING (alert_id)`,
    format: 'JSONEachRow',
  });
  return (await result.json<LiveLabelledDecision>()).map((row) => ({ ...row, day: Number(row.day) }));
}
