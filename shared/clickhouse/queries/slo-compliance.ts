import type { ClickHouseClient } from '@clickhouse/client';
import { SLO_NAMES, SLO_SPEC, resolveTenantSlos, type ResolvedSlo, type SloName, type SloSpec } from '../../slo/slos.js';
import { SLI_BUCKETS } from '../../slo/sli-buckets.js';
import { sqlNumber, sqlString } from '../sql-escape.js';
import { ratio } from './sli-range.js';

/** Which tenants (all with data when absent) and the end of the windows. */
export interface SloComplianceQuery {
  /** epoch ms; windows are whole hours ending at the end of the hour holding `at`. */
  at: number;
  tenant?: string;
  spec?: SloSpec;
}

/** One SLO of one tenant over its own window. */
export interface SloCompliance {
  tenant: string;
  slo: ResolvedSlo;
  eligible: number;
  bad: number;
  /** good / eligible; 1 without events. */
  attained: number;
  /** Fraction of the error budget used: (bad / eligible) / errorBudget. Above 1 = SLO missed. */
  budgetUsed: number;
  met: boolean;
}

/** Every distinct SLO window length (days) in the spec, defaults and overrides, ascending. */
export function windowDaysOf(spec: SloSpec): number[] {
  const days = new Set<number>();
  for (const name of SLO_NAMES) days.add(spec.defaults[name].windowDays);
  for (const overrides of Object.values(spec.tenants)) for (const o of Object.values(overrides)) if (o?.windowDays !== undefined) days.add(o.windowDays);
  return [...days].sort((a, b) => a - b);
}

/** Per tenant and window length: decision counts with every bucket of the latency/freshness counters. */
export function sloComplianceDecisionsSql(query: SloComplianceQuery, days: number[]): string {
  const end = (Math.floor(query.at / 3_600_000) + 1) * 3600;
  const tenant = query.tenant === undefined ? '' : ` AND tenant = ${sqlString(query.tenant)}`;
  return `SELECT tenant, d AS days, sum(firing) AS firing, sum(notified) AS notified,
      sumForEach(e2e) AS e2e_le, sumForEach(inference) AS inference_le, sumForEach(freshness) AS freshness_le
    FROM (
      SELECT tenant, hour, firing, notified,
        finalizeAggregation(e2e_le) AS e2e, finalizeAggregation(inference_le) AS inference, finalizeAggregation(freshness_le) AS freshness
      FROM sli_tenant_hour
      WHERE hour >= toDateTime(${sqlNumber(end)} - ${sqlNumber(Math.max(...days))} * 86400) AND hour < toDateTime(${sqlNumber(end)})${tenant}
    )
    ARRAY JOIN [${days.map((d) => sqlNumber(d)).join(', ')}] AS d
    WHERE hour >= toDateTime(${sqlNumber(end)} - d * 86400)
    GROUP BY tenant, d ORDER BY tenant, d`;
}

/** Per tenant and window length: actionable alerts and those suppressed. */
export function sloComplianceOutcomesSql(query: SloComplianceQuery, days: number[]): string {
  const end = (Math.floor(query.at / 3_600_000) + 1) * 3600;
  const tenant = query.tenant === undefined ? '' : ` AND tenant = ${sqlString(query.tenant)}`;
  return `SELECT tenant, d AS days, sum(actionable) AS actionable, sum(actionable_suppressed) AS actionable_suppressed
    FROM (
      SELECT tenant, hour, actionable, actionable_suppressed FROM sli_outcomes_hour
      WHERE hour >= toDateTime(${sqlNumber(end)} - ${sqlNumber(Math.max(...days))} * 86400) AND hour < toDateTime(${sqlNumber(end)})${tenant}
    )
    ARRAY JOIN [${days.map((d) => sqlNumber(d)).join(', ')}] AS d
    WHERE hour >= toDateTime(${sqlNumber(end)} - d * 86400)
    GROUP BY tenant, d ORDER BY tenant, d`;
}

interface DecisionRow { tenant: string; days: number; firing: number; notified: number; e2e_le: number[]; inference_le: number[]; freshness_le: number[] }
interface OutcomeRow { tenant: string; days: number; actionable: number; actionable_suppressed: number }

/**
 * Every SLO of every tenant (or one) over its declared window, from the hourly rollups: how much of
 * the error budget is used and whether the objective is met. Windows have hour resolution; the
 * decision side reads the per-tenant rollup (0009), a few rows per hour.
 */
export async function sloCompliance(client: ClickHouseClient, query: SloComplianceQuery): Promise<SloCompliance[]> {
  const spec = query.spec ?? SLO_SPEC;
  const days = windowDaysOf(spec);
  const [decisions, outcomes] = await Promise.all([
    client.query({ query: sloComplianceDecisionsSql(query, days), format: 'JSONEachRow' }).then((r) => r.json<DecisionRow>()),
    client.query({ query: sloComplianceOutcomesSql(query, days), format: 'JSONEachRow' }).then((r) => r.json<OutcomeRow>()),
  ]);
  const tenants = query.tenant === undefined ? [...new Set([...decisions, ...outcomes].map((r) => r.tenant))].sort() : [query.tenant];
  const result: SloCompliance[] = [];
  for (const tenant of tenants) {
    const slos = resolveTenantSlos(tenant, spec);
    for (const name of SLO_NAMES) {
      const slo = slos[name];
      const { eligible, bad } = countsFor(name, slo, decisions.find((r) => r.tenant === tenant && Number(r.days) === slo.windowDays), outcomes.find((r) => r.tenant === tenant && Number(r.days) === slo.windowDays));
      const budgetUsed = ratio(bad, eligible) / slo.errorBudget;
      result.push({ tenant, slo, eligible, bad, attained: eligible === 0 ? 1 : 1 - bad / eligible, budgetUsed, met: budgetUsed <= 1 });
    }
  }
  return result;
}

function countsFor(name: SloName, slo: ResolvedSlo, d: DecisionRow | undefined, o: OutcomeRow | undefined): { eligible: number; bad: number } {
  if (name === 'false_negatives') return { eligible: Number(o?.actionable ?? 0), bad: Number(o?.actionable_suppressed ?? 0) };
  const firing = Number(d?.firing ?? 0);
  if (name === 'noise_reduction') return { eligible: firing, bad: Number(d?.notified ?? 0) };
  const [bounds, counts]: [readonly number[], number[] | undefined] =
    name === 'e2e_latency' ? [SLI_BUCKETS.e2eMs, d?.e2e_le] : name === 'inference_latency' ? [SLI_BUCKETS.inferenceMs, d?.inference_le] : [SLI_BUCKETS.freshnessS, d?.freshness_le];
  const good = Number(counts?.[bounds.indexOf(slo.threshold ?? Number.NaN)] ?? 0);
  return { eligible: firing, bad: firing - good };
}
