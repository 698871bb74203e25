import { latencyPercentilesSql } from '../../shared/clickhouse/queries/latency-percentiles.js';
import { sliBurnDecisionsSql, sliBurnOutcomesSql } from '../../shared/clickhouse/queries/sli-burn-rates.js';
import { sloComplianceDecisionsSql, sloComplianceOutcomesSql, windowDaysOf } from '../../shared/clickhouse/queries/slo-compliance.js';
import { bucketIndex } from '../../shared/clickhouse/queries/sli-range.js';
import { SLO_NAMES, SLO_SPEC, type SloName } from '../../shared/slo/slos.js';
import type { ColumnSpec, DashboardSpec, SqlPanelSpec } from '../panel-spec.js';
import { TENANT, timeFilter } from '../sql/grafana-macros.js';
import { PLACEHOLDER, toPanelSql } from '../sql/shared-query-sql.js';
import { burnRateSql, defaultSlos, sloValueSql, thresholdOf } from '../sql/slo-sql.js';

const DECISION_SLOS = SLO_NAMES.filter((name) => name !== 'false_negatives');
const RATE: Omit<ColumnSpec, 'name'> = { unit: 'short', min: 0 };
const sloColumns = (spec: Omit<ColumnSpec, 'name'>): ColumnSpec[] => SLO_NAMES.map((name) => ({ name, ...spec }));

/** Share of each SLO's error budget used over its own window ending at the dashboard's end, per tenant. */
function budgetUsedPanel(): SqlPanelSpec {
  const days = windowDaysOf(SLO_SPEC);
  const query = { at: PLACEHOLDER.at };
  const slos = defaultSlos();
  const bad: Record<Exclude<SloName, 'false_negatives'>, string> = {
    noise_reduction: 'notified',
    e2e_latency: `firing - e2e_le[${bucketIndex('e2eMs', thresholdOf(slos, 'e2e_latency'))}]`,
    inference_latency: `firing - inference_le[${bucketIndex('inferenceMs', thresholdOf(slos, 'inference_latency'))}]`,
    freshness: `firing - freshness_le[${bucketIndex('freshnessS', thresholdOf(slos, 'freshness'))}]`,
  };
  const used = (name: SloName, eligible: string, badSql: string): string => {
    const inWindow = `days = ${sloValueSql(name, 'windowDays', 'tenant')}`;
    return `if(sumIf(${eligible}, ${inWindow}) = 0, 0, sumIf(${badSql}, ${inWindow}) / sumIf(${eligible}, ${inWindow})) / ${sloValueSql(name, 'errorBudget', 'tenant')} AS ${name}`;
  };
  const sql = `SELECT tenant, ${SLO_NAMES.join(', ')}
    FROM (
      SELECT tenant, ${DECISION_SLOS.map((name) => used(name, 'firing', bad[name])).join(',\n        ')}
      FROM (${sloComplianceDecisionsSql(query, days)})
      GROUP BY tenant
    )
    ANY LEFT JOIN (
      SELECT tenant, ${used('false_negatives', 'actionable', 'actionable_suppressed')}
      FROM (${sloComplianceOutcomesSql(query, days)})
      GROUP BY tenant
    ) USING (tenant)
    ORDER BY tenant`;
  return {
    source: 'clickhouse',
    kind: 'table',
    title: 'Error budget used (each SLO over its window, ending at the range end)',
    description: 'Share of the error budget used; 1 = budget exhausted, the SLO is missed above it (docs/slos.md). Hour resolution.',
    width: 24,
    height: 7,
    sql: toPanelSql(sql, { tenant: false }),
    columns: [{ name: 'tenant', unit: 'string' }, ...sloColumns({ unit: 'percentunit', min: 0 })],
  };
}

/** Burn rate of every SLO of the tenant over the SRE workbook's windows ending at the dashboard's end. */
function burnByWindowPanel(): SqlPanelSpec {
  const slos = defaultSlos();
  const budget = (name: SloName): string => sloValueSql(name, 'errorBudget', TENANT);
  const burn = (name: SloName, eligible: string, bad: string): string => `if(${eligible} = 0, 0, (${bad}) / ${eligible}) / ${budget(name)} AS ${name}`;
  const sql = `SELECT minutes,
      ${burn('noise_reduction', 'firing', 'notified')},
      ${burn('false_negatives', 'actionable', 'actionable_suppressed')},
      ${burn('e2e_latency', 'firing', 'firing - e2e_good')},
      ${burn('inference_latency', 'firing', 'firing - inference_good')},
      ${burn('freshness', 'firing', 'firing - freshness_good')}
    FROM (${sliBurnDecisionsSql(PLACEHOLDER.tenant, PLACEHOLDER.at, slos)})
    ANY LEFT JOIN (${sliBurnOutcomesSql(PLACEHOLDER.tenant, PLACEHOLDER.at)}) USING (minutes)
    ORDER BY minutes`;
  return {
    source: 'clickhouse',
    kind: 'table',
    title: 'Burn rate by window — $tenant',
    description: 'Windows of the multiwindow alerts (5 m … 3 d) ending at the range end. Page: 1 h and 5 m ≥ 14.4, or 6 h and 30 m ≥ 6; ticket: 3 d and 6 h ≥ 1.',
    width: 12,
    sql: toPanelSql(sql, { tenant: true }),
    columns: [{ name: 'minutes', unit: 'short', min: 1 }, ...sloColumns(RATE)],
  };
}

/** Burn rate of every SLO per hour of the range (one-hour windows). */
function hourlyBurnPanel(): SqlPanelSpec {
  const where = `tenant = ${TENANT} AND ${timeFilter('hour')}`;
  const sql = `SELECT time, ${SLO_NAMES.join(', ')}
    FROM (
      SELECT hour AS time, ${DECISION_SLOS.map((name) => `${burnRateSql(name, TENANT)} AS ${name}`).join(',\n        ')}
      FROM sli_tenant_hour WHERE ${where}
      GROUP BY time
    )
    ANY LEFT JOIN (
      SELECT hour AS time, ${burnRateSql('false_negatives', TENANT)} AS false_negatives
      FROM sli_outcomes_hour WHERE ${where}
      GROUP BY time
    ) USING (time)
    ORDER BY time`;
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title: 'Hourly burn rate — $tenant',
    description: 'Bad share of each hour divided by the error budget: 1 spends the budget exactly over the SLO window.',
    width: 12,
    sql,
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, ...sloColumns(RATE)],
  };
}

/** Approximate (t-digest) latency percentiles per hour. */
function latencyPanel(): SqlPanelSpec {
  const shared = latencyPercentilesSql({ from: PLACEHOLDER.from, to: PLACEHOLDER.to, step: 'hour', tenant: PLACEHOLDER.tenant });
  const ms = ['e2e_p50_ms', 'e2e_p95_ms', 'e2e_p99_ms', 'inference_p50_ms', 'inference_p95_ms', 'inference_p99_ms'];
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title: 'Scoring latency percentiles — $tenant',
    description: 'e2e = enqueue → decision (SLO p95 ≤ 140 ms), inference = model only (SLO p99 ≤ 15 ms); hourly t-digests.',
    width: 24,
    sql: toPanelSql(`SELECT time, ${ms.join(', ')} FROM (${shared}) ORDER BY time`, { tenant: true }),
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, ...ms.map((name): ColumnSpec => ({ name, unit: 'ms', min: 0 }))],
  };
}

/** SLOs, error budgets and burn rates (docs/slos.md). */
export function sloBurnRatesDashboard(): DashboardSpec {
  return {
    uid: 'hush-slo-burn-rates',
    title: 'Hush — SLO & burn rates',
    description: 'Each SLO of shared/slo/slos.ts: error budget used over its window, multiwindow burn rates, latency.',
    tenantVariable: true,
    from: 'now-7d',
    panels: [budgetUsedPanel(), burnByWindowPanel(), hourlyBurnPanel(), latencyPanel()],
  };
}
