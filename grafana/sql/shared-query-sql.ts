import { HushError } from '../../shared/errors/index.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { FROM_TIME, TENANT, TO_TIME } from './grafana-macros.js';

/**
 * Panels reuse the exact SQL of the named queries (shared/clickhouse/queries), which are built for
 * concrete times and a tenant: a panel builds them for these placeholder values, which no real query
 * uses, and {@link toPanelSql} swaps their literals for the plugin's macros and the tenant variable.
 * Both times are whole days, so builders that round to the minute or hour keep them.
 */
export const PLACEHOLDER = {
  /** epoch ms of the range start. */
  from: Date.UTC(2100, 0, 1),
  /** epoch ms of the range end. */
  to: Date.UTC(2100, 0, 2),
  /** Just before `to`: builders that end their windows at the end of the minute or hour holding `at` end them at `to`. */
  at: Date.UTC(2100, 0, 2) - 1,
  tenant: 'grafana-panel-tenant',
} as const;

const FROM_S = String(PLACEHOLDER.from / 1000);
const TO_S = String(PLACEHOLDER.to / 1000);

/** Placeholder literal → what the panel says instead; the bare seconds come after the `toDateTime(…)` forms. */
const TIME_SWAPS: readonly [RegExp, string][] = [
  [new RegExp(`toDateTime\\(${FROM_S}\\)`, 'g'), FROM_TIME],
  [new RegExp(`toDateTime\\(${TO_S}\\)`, 'g'), TO_TIME],
  [new RegExp(`\\b${FROM_S}\\b`, 'g'), `toUInt32(${FROM_TIME})`],
  [new RegExp(`\\b${TO_S}\\b`, 'g'), `toUInt32(${TO_TIME})`],
];

/**
 * Turns SQL built for {@link PLACEHOLDER} into panel SQL: `toDateTime(<from>)` and `toDateTime(<to>)`
 * become `$__fromTime` / `$__toTime`, bare epoch seconds (window arithmetic) `toUInt32(…)` of them, and
 * the quoted placeholder tenant the tenant variable. Fails when the SQL holds no placeholder time, or
 * no placeholder tenant although `tenant` says it filters by one: the builder has changed shape.
 */
export function toPanelSql(sql: string, options: { tenant: boolean }): string {
  if (!TIME_SWAPS.some(([pattern]) => sql.search(pattern) >= 0)) {
    throw new HushError('HUSH_ERR_INTERNAL', 'panel SQL: the query builder wrote no placeholder time');
  }
  const quotedTenant = sqlString(PLACEHOLDER.tenant);
  if (options.tenant && !sql.includes(quotedTenant)) {
    throw new HushError('HUSH_ERR_INTERNAL', 'panel SQL: the query builder wrote no placeholder tenant');
  }
  const timed = TIME_SWAPS.reduce((text, [pattern, macro]) => text.replace(pattern, () => macro), sql);
  return timed.split(quotedTenant).join(TENANT);
}
