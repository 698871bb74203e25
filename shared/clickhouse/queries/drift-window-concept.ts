import type { ClickHouseClient } from '@clickhouse/client';
import { latestOutcomesSql } from './latest-outcomes-sql.js';
import { sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** Labels and the champion's scores in an event-time window (the latest label of each alert wins). */
export interface WindowConcept {
  /** Alerts of the window that have a label. */
  labelled: number;
  actionable: number;
  /** Labelled alerts the model scored (score not null), the sum of those scores, and the actionable among them. */
  scored: number;
  scoreSum: number;
  scoredActionable: number;
  /** UTC days (of event time) holding the labelled alerts the model decided. */
  decidedDays: number;
  /** Labelled alerts the model decided, the actionable among them, those suppressed, and actionable ones suppressed (missed). */
  decided: number;
  decidedActionable: number;
  suppressed: number;
  missed: number;
}

/**
 * Label mix of the window's alerts (decisions ⨝ latest outcome) and, for `modelId`, its mean score,
 * noise reduction and FNR on them. 18.16 takes one JOIN per SELECT; the label is argMax by receipt time.
 */
export async function driftWindowConcept(client: ClickHouseClient, tenant: string, modelId: string, from: number, to: number): Promise<WindowConcept> {
  const model = `model_id = ${sqlString(modelId)}`;
  const result = await client.query({
    query: `SELECT count() AS labelled, countIf(outcome = 'actionable') AS actionable,
        countIf(${model} AND isNotNull(score)) AS scored,
        sumIf(toFloat64(assumeNotNull(score)), ${model} AND isNotNull(score)) AS score_sum,
        countIf(${model} AND isNotNull(score) AND outcome = 'actionable') AS scored_actionable,
        uniqExactIf(intDiv(toUInt32(event_time), 86400), ${model}) AS decided_days,
        countIf(${model}) AS decided,
        countIf(${model} AND outcome = 'actionable') AS decided_actionable,
        countIf(${model} AND decision = 'suppress') AS suppressed,
        countIf(${model} AND decision = 'suppress' AND outcome = 'actionable') AS missed
      FROM (
        SELECT alert_id, event_time, model_id, score, decision FROM decisions FINAL
        WHERE tenant = ${sqlString(tenant)} AND event_time >= ${sqlString(toDateTime(from, 'from'))} AND event_time < ${sqlString(toDateTime(to, 'to'))}
      )
      ANY INNER JOIN (
        ${latestOutcomesSql(tenant)}
      ) USING (alert_id)`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<Record<string, number | string>>();
  const n = (key: string): number => Number(row?.[key] ?? 0);
  return {
    labelled: n('labelled'),
    actionable: n('actionable'),
    scored: n('scored'),
    scoreSum: n('score_sum'),
    scoredActionable: n('scored_actionable'),
    decidedDays: n('decided_days'),
    decided: n('decided'),
    decidedActionable: n('decided_actionable'),
    suppressed: n('suppressed'),
    missed: n('missed'),
  };
}
