import { sqlNumber, sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** An event-time window of one tenant's stored features of one schema version, `[from, to)` in epoch ms. */
export interface DriftWindow {
  tenant: string;
  featureSchemaVersion: number;
  from: number;
  to: number;
}

/** The `features FINAL` rows of a window (FINAL so a retried insert counts once). */
export function windowFeaturesSql(window: DriftWindow, columns: string): string {
  return `SELECT ${columns} FROM features FINAL
    WHERE tenant = ${sqlString(window.tenant)} AND feature_schema_version = ${sqlNumber(window.featureSchemaVersion)}
      AND event_time >= ${sqlString(toDateTime(window.from, 'from'))} AND event_time < ${sqlString(toDateTime(window.to, 'to'))}`;
}

