import { HushError } from '../../errors/index.js';
import { SLI_BUCKETS, type SliBucketSet } from '../../slo/sli-buckets.js';
import { sqlNumber, sqlString } from '../sql-escape.js';

/**
 * SQL fragments shared by the SLI rollup queries (clickhouse/migrations/0006, 0008). Times are epoch
 * ms at the API and whole epoch seconds in SQL (`toDateTime(<n>)`: no string parsing, no time zone).
 */

/** A `[from, to)` event-time range in epoch ms. */
export interface TimeRange {
  from: number;
  to: number;
}

/** `toDateTime(<seconds>)` for an epoch-ms time, floored to `stepSeconds`. */
export function sqlTime(ms: number, stepSeconds = 1): string {
  if (!Number.isFinite(ms) || ms < 0) throw new HushError('HUSH_ERR_VALIDATION', `time must be a non-negative epoch ms, got ${ms}`);
  const s = Math.floor(ms / 1000 / stepSeconds) * stepSeconds;
  return `toDateTime(${sqlNumber(s)})`;
}

/** `column >= from AND column < to`, with the range checked. */
export function sqlRange(column: string, range: TimeRange): string {
  if (!(range.to > range.from)) throw new HushError('HUSH_ERR_VALIDATION', `time range must have to > from, got [${range.from}, ${range.to})`);
  return `${column} >= ${sqlTime(range.from)} AND ${column} < ${sqlTime(range.to)}`;
}

/** `AND tenant = '…'` (and service, rule name) for each filter given. */
export function sqlFilters(filters: { tenant?: string | undefined; service?: string | undefined; name?: string | undefined }): string {
  return (['tenant', 'service', 'name'] as const)
    .filter((k) => filters[k] !== undefined)
    .map((k) => ` AND ${k} = ${sqlString(filters[k] as string)}`)
    .join('');
}

/** The 1-based position of `threshold` among the rollup's bounds of `set`; unknown bounds are refused. */
export function bucketIndex(set: SliBucketSet, threshold: number): number {
  const bounds: readonly number[] = SLI_BUCKETS[set];
  const i = bounds.indexOf(threshold);
  if (i < 0) throw new HushError('HUSH_ERR_VALIDATION', `${threshold} is not a rollup bound of ${set} (${bounds.join(', ')})`);
  return i + 1;
}

/** Number of events at or under `threshold` in a rollup row's cumulative `*_le` state column. */
export function sqlGoodCount(column: string, set: SliBucketSet, threshold: number): string {
  return `arrayElement(finalizeAggregation(${column}), ${sqlNumber(bucketIndex(set, threshold))})`;
}

/** The time step of a trend: which rollup table answers and how its time column is bucketed. */
export type TrendStep = 'minute' | 'hour' | 'day';

export function stepSource(step: TrendStep, kind: 'decisions' | 'outcomes'): { table: string; column: string; bucket: string } {
  if (step === 'minute') return { table: `sli_${kind}_minute`, column: 'minute', bucket: 'minute' };
  return { table: `sli_${kind}_hour`, column: 'hour', bucket: step === 'day' ? 'toStartOfDay(hour)' : 'hour' };
}

/** 0 for an empty denominator, so that no ratio is NaN. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
