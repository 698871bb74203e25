import type { ClickHouseClient } from '@clickhouse/client';
import { BURN_RATE_ALERTS, BURN_RATE_WINDOWS_MINUTES } from '../../slo/burn-rate-windows.js';
import { SLO_NAMES, resolveTenantSlos, type ResolvedSlo, type SloName, type SloSpec } from '../../slo/slos.js';
import { sqlNumber, sqlString } from '../sql-escape.js';
import { ratio, sqlGoodCount } from './sli-range.js';

/** Which tenant and when; windows end at the end of the minute holding `at`. */
export interface BurnRateQuery {
  tenant: string;
  /** epoch ms */
  at: number;
  spec?: SloSpec;
}

/** One SLO over one window. */
export interface BurnWindow {
  minutes: number;
  eligible: number;
  bad: number;
  /** (bad / eligible) / error budget; 0 without events. */
  burnRate: number;
}

/** One multiwindow alert rule and whether it fires now. */
export interface BurnAlert {
  severity: 'page' | 'ticket';
  longMinutes: number;
  shortMinutes: number;
  threshold: number;
  firing: boolean;
}

export interface SloBurn {
  slo: ResolvedSlo;
  windows: BurnWindow[];
  alerts: BurnAlert[];
}

// Windows up to an hour read the minute rollups; longer ones (6 h, 3 d) the hourly rollups, so they
// have hour resolution: they start at the hour holding `end - window` (up to 59 minutes longer).
const MINUTE_WINDOWS = BURN_RATE_WINDOWS_MINUTES.filter((w) => w <= 60);
const HOUR_WINDOWS = BURN_RATE_WINDOWS_MINUTES.filter((w) => w > 60);

function windowEnd(at: number): number {
  return (Math.floor(at / 60_000) + 1) * 60_000;
}

function list(values: readonly number[]): string {
  return `[${values.map((v) => sqlNumber(v)).join(', ')}]`;
}

/**
 * `SELECT minutes, <sums> …` over both resolutions: `columns(kind)` lists the per-row values to sum
 * (aliases), `sums` sums them.
 */
function windowsSql(tenant: string, at: number, tables: { minute: string; hour: string }, columns: (kind: 'minute' | 'hour') => string, sums: string): string {
  const end = sqlNumber(windowEnd(at) / 1000);
  const part = (kind: 'minute' | 'hour', windows: readonly number[]): string => {
    const start = (w: string): string => (kind === 'minute' ? `toDateTime(${end} - ${w} * 60)` : `toStartOfHour(toDateTime(${end} - ${w} * 60))`);
    return `SELECT w AS minutes, ${sums}
    FROM (
      SELECT ${kind} AS t, ${columns(kind)} FROM ${tables[kind]}
      WHERE tenant = ${sqlString(tenant)} AND ${kind} >= ${start(sqlNumber(Math.max(...windows)))} AND ${kind} < toDateTime(${end})
    )
    ARRAY JOIN ${list(windows)} AS w
    WHERE t >= ${start('w')}
    GROUP BY w`;
  };
  return `SELECT * FROM (${part('minute', MINUTE_WINDOWS)}
    UNION ALL
    ${part('hour', HOUR_WINDOWS)}) ORDER BY minutes`;
}

/** Per window: eligible and good counts of the decision SLOs. */
export function sliBurnDecisionsSql(tenant: string, at: number, slos: Record<SloName, ResolvedSlo>): string {
  const columns = (): string => `firing, notified,
        ${sqlGoodCount('e2e_le', 'e2eMs', slos.e2e_latency.threshold ?? Number.NaN)} AS e2e_good,
        ${sqlGoodCount('inference_le', 'inferenceMs', slos.inference_latency.threshold ?? Number.NaN)} AS inference_good,
        ${sqlGoodCount('freshness_le', 'freshnessS', slos.freshness.threshold ?? Number.NaN)} AS freshness_good`;
  return windowsSql(tenant, at, { minute: 'sli_decisions_minute', hour: 'sli_tenant_hour' }, columns,
    'sum(firing) AS firing, sum(notified) AS notified, sum(e2e_good) AS e2e_good, sum(inference_good) AS inference_good, sum(freshness_good) AS freshness_good');
}

/** Per window: actionable alerts and those suppressed (FNR). */
export function sliBurnOutcomesSql(tenant: string, at: number): string {
  return windowsSql(tenant, at, { minute: 'sli_outcomes_minute', hour: 'sli_outcomes_hour' }, () => 'actionable, actionable_suppressed',
    'sum(actionable) AS actionable, sum(actionable_suppressed) AS actionable_suppressed');
}

type DecisionWindowRow = Record<'minutes' | 'firing' | 'notified' | 'e2e_good' | 'inference_good' | 'freshness_good', number>;
type OutcomeWindowRow = Record<'minutes' | 'actionable' | 'actionable_suppressed', number>;

/**
 * Burn rates of every SLO of a tenant over the SRE workbook's windows (5 m … 3 d) and which of the
 * three multiwindow alerts fire. Reads only the rollups: minute resolution up to 1 h, hour beyond.
 */
export async function sliBurnRates(client: ClickHouseClient, query: BurnRateQuery): Promise<SloBurn[]> {
  const slos = resolveTenantSlos(query.tenant, query.spec);
  const [decisions, outcomes] = await Promise.all([
    client.query({ query: sliBurnDecisionsSql(query.tenant, query.at, slos), format: 'JSONEachRow' }).then((r) => r.json<DecisionWindowRow>()),
    client.query({ query: sliBurnOutcomesSql(query.tenant, query.at), format: 'JSONEachRow' }).then((r) => r.json<OutcomeWindowRow>()),
  ]);
  const byWindow = <R extends { minutes: number }>(rows: R[], w: number): R | undefined => rows.find((r) => Number(r.minutes) === w);
  const counts = (name: SloName, w: number): { eligible: number; bad: number } => {
    if (name === 'false_negatives') {
      const o = byWindow(outcomes, w);
      return { eligible: Number(o?.actionable ?? 0), bad: Number(o?.actionable_suppressed ?? 0) };
    }
    const d = byWindow(decisions, w);
    const firing = Number(d?.firing ?? 0);
    const good = { noise_reduction: firing - Number(d?.notified ?? 0), e2e_latency: Number(d?.e2e_good ?? 0), inference_latency: Number(d?.inference_good ?? 0), freshness: Number(d?.freshness_good ?? 0) }[name];
    return { eligible: firing, bad: firing - good };
  };
  return SLO_NAMES.map((name) => {
    const slo = slos[name];
    const windows = BURN_RATE_WINDOWS_MINUTES.map((minutes) => {
      const { eligible, bad } = counts(name, minutes);
      return { minutes, eligible, bad, burnRate: ratio(bad, eligible) / slo.errorBudget };
    });
    const rate = (m: number): number => windows.find((w) => w.minutes === m)?.burnRate ?? 0;
    const alerts = BURN_RATE_ALERTS.map((a) => ({
      severity: a.severity,
      longMinutes: a.longMinutes,
      shortMinutes: a.shortMinutes,
      threshold: a.burnRate,
      firing: rate(a.longMinutes) >= a.burnRate && rate(a.shortMinutes) >= a.burnRate,
    }));
    return { slo, windows, alerts };
  });
}
