import { sqlNumber, sqlString } from '../sql-escape.js';
import { toDateTime } from '../rows.js';

/** An event-time window of one tenant's stored features of one schema version, `[from, to)` in epoch ms. */
export interface DriftWindow {
  tenant: string;
  featureSchemaVersion: number;
  from: number;
  to: number;
}

/** How to read a window's rows. */
export interface WindowRead {
  /**
   * Read `features FINAL`, so a retried insert counts once. A caller that has checked that the window
   * holds no duplicate alert ({@link driftWindowRows}) passes false: parallel streams, no FINAL merge.
   * @defaultValue `true`
   */
  final?: boolean;
  /** Keep only the alerts with `cityHash64(alert_id) % sampleEvery = 0`: a deterministic subsample. @defaultValue `1` (all) */
  sampleEvery?: number;
}

/** The `features` rows of a window, read as `read` says. */
export function windowFeaturesSql(window: DriftWindow, columns: string, read: WindowRead = {}): string {
  const sampleEvery = read.sampleEvery ?? 1;
  return `SELECT ${columns} FROM features${read.final ?? true ? ' FINAL' : ''}
    WHERE tenant = ${sqlString(window.tenant)} AND feature_schema_version = ${sqlNumber(window.featureSchemaVersion)}
      AND event_time >= ${sqlString(toDateTime(window.from, 'from'))} AND event_time < ${sqlString(toDateTime(window.to, 'to'))}${
  sampleEvery > 1 ? ` AND cityHash64(alert_id) % ${sqlNumber(sampleEvery)} = 0` : ''}`;
}
