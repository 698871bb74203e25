import { sqlString } from '../sql-escape.js';

/**
 * A subquery `(alert_id, outcome)` with one row per labelled alert of `tenant`: the label received
 * last wins. `outcomes FINAL` is not enough, since two labels of one alert in different `at` months
 * both survive it (0004_outcomes.sql). Join it `USING (alert_id)`.
 */
export function latestOutcomesSql(tenant: string): string {
  return `SELECT alert_id, argMax(outcome, toUInt64(received_at) * 1000 + received_at_ms) AS outcome FROM outcomes
        WHERE tenant = ${sqlString(tenant)} GROUP BY alert_id`;
}
