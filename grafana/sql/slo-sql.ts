import { HushError } from '../../shared/errors/index.js';
import { sqlGoodCount } from '../../shared/clickhouse/queries/sli-range.js';
import { sqlNumber, sqlString } from '../../shared/clickhouse/sql-escape.js';
import { SLO_NAMES, SLO_SPEC, resolveTenantSlos, type ResolvedSlo, type SloName, type SloSpec } from '../../shared/slo/slos.js';
import { timeFilter } from './grafana-macros.js';

/**
 * SLO arithmetic for panels and alert rules, from the SLOs as code (shared/slo/slos.ts). The tenant is
 * known only when Grafana runs the query, so per-tenant values become `transform(tenant, …)`.
 */

/**
 * An SLO's error budget or window for the tenant that `tenantSql` evaluates to: a literal when no
 * tenant overrides it, else `transform(<tenant>, [tenants], [values], <default>)`.
 */
export function sloValueSql(name: SloName, field: 'errorBudget' | 'windowDays', tenantSql: string, spec: SloSpec = SLO_SPEC): string {
  const fallback = resolveTenantSlos('', spec)[name][field];
  const overrides = Object.keys(spec.tenants)
    .map((tenant) => [tenant, resolveTenantSlos(tenant, spec)[name][field]] as const)
    .filter(([, value]) => value !== fallback);
  if (overrides.length === 0) return sqlNumber(fallback);
  const tenants = overrides.map(([tenant]) => sqlString(tenant)).join(', ');
  const values = overrides.map(([, value]) => sqlNumber(value)).join(', ');
  return `transform(${tenantSql}, [${tenants}], [${values}], ${sqlNumber(fallback)})`;
}

/**
 * Every SLO as declared for tenants without overrides. The rollup bucket a latency or freshness panel
 * reads depends on the threshold, so a per-tenant threshold is refused here rather than shown wrong.
 */
export function defaultSlos(spec: SloSpec = SLO_SPEC): Record<SloName, ResolvedSlo> {
  for (const [tenant, overrides] of Object.entries(spec.tenants)) {
    for (const name of SLO_NAMES) {
      if (overrides[name]?.threshold !== undefined) {
        throw new HushError('HUSH_ERR_CONFIG', `Grafana panels read the default SLO thresholds; tenants.${tenant}.${name}.threshold is not supported there`);
      }
    }
  }
  return resolveTenantSlos('', spec);
}

/** The threshold of a latency or freshness SLO (NaN for the others, which no bucket matches). */
export function thresholdOf(slos: Record<SloName, ResolvedSlo>, name: SloName): number {
  return slos[name].threshold ?? Number.NaN;
}

/** Where an SLO's events are counted, and the per-row SQL of its eligible and bad events. */
export interface SliSource {
  rollup: 'decisions' | 'outcomes';
  eligible: string;
  bad: string;
}

/** Eligible and bad events of `name` on one row of a decision or outcome rollup. */
export function sliSource(name: SloName, spec: SloSpec = SLO_SPEC): SliSource {
  const slos = defaultSlos(spec);
  switch (name) {
    case 'noise_reduction':
      return { rollup: 'decisions', eligible: 'firing', bad: 'notified' };
    case 'false_negatives':
      return { rollup: 'outcomes', eligible: 'actionable', bad: 'actionable_suppressed' };
    case 'e2e_latency':
      return { rollup: 'decisions', eligible: 'firing', bad: `firing - ${sqlGoodCount('e2e_le', 'e2eMs', thresholdOf(slos, name))}` };
    case 'inference_latency':
      return { rollup: 'decisions', eligible: 'firing', bad: `firing - ${sqlGoodCount('inference_le', 'inferenceMs', thresholdOf(slos, name))}` };
    case 'freshness':
      return { rollup: 'decisions', eligible: 'firing', bad: `firing - ${sqlGoodCount('freshness_le', 'freshnessS', thresholdOf(slos, name))}` };
  }
}

/** Windows up to an hour read the minute rollups; longer ones the hourly rollups (hour resolution). */
function rollupTable(rollup: SliSource['rollup'], windowMinutes: number): { table: string; column: string } {
  if (windowMinutes <= 60) return { table: `sli_${rollup}_minute`, column: 'minute' };
  return rollup === 'decisions' ? { table: 'sli_tenant_hour', column: 'hour' } : { table: 'sli_outcomes_hour', column: 'hour' };
}

/** Burn rate of `name` over the rows aggregated: (Σ bad / Σ eligible) / error budget, 0 without events. */
export function burnRateSql(name: SloName, tenantSql: string, spec: SloSpec = SLO_SPEC): string {
  const source = sliSource(name, spec);
  return `if(sum(${source.eligible}) = 0, 0, sum(${source.bad}) / sum(${source.eligible})) / ${sloValueSql(name, 'errorBudget', tenantSql, spec)}`;
}

/**
 * `tenant, burn_rate` of one SLO per tenant over the query's time range, read from the rollup that
 * suits a window of `windowMinutes`.
 */
export function burnRateByTenantSql(name: SloName, windowMinutes: number, spec: SloSpec = SLO_SPEC): string {
  const { table, column } = rollupTable(sliSource(name, spec).rollup, windowMinutes);
  return `SELECT tenant, ${burnRateSql(name, 'tenant', spec)} AS burn_rate
    FROM ${table} WHERE ${timeFilter(column)}
    GROUP BY tenant ORDER BY tenant`;
}
