import { noiseReductionTrendSql, type NoiseTrendQuery } from '../../shared/clickhouse/queries/noise-reduction-trend.js';
import type { ColumnSpec, DashboardSpec, SqlPanelSpec } from '../panel-spec.js';
import { PLACEHOLDER, toPanelSql } from '../sql/shared-query-sql.js';

const SHARE: Omit<ColumnSpec, 'name'> = { unit: 'percentunit', min: 0, max: 1 };
const COUNT: Omit<ColumnSpec, 'name'> = { unit: 'short', min: 0 };

/** The shared trend query over the dashboard's range, hour by hour. */
function trendSql(by: NoiseTrendQuery['by'], tenant: boolean): string {
  return noiseReductionTrendSql({ from: PLACEHOLDER.from, to: PLACEHOLDER.to, step: 'hour', by, ...(tenant ? { tenant: PLACEHOLDER.tenant } : {}) });
}

function byTenantPanel(): SqlPanelSpec {
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title: 'Noise reduction and FNR by tenant',
    description: 'Suppressed / firing alerts, with the false-negative rate of the labelled ones (DESIGN §4: never one without the other). SLOs: ≥ 45% and < 1.5%.',
    width: 24,
    sql: toPanelSql(`SELECT time, tenant, noise_reduction, fnr FROM (${trendSql('tenant', false)}) ORDER BY time, tenant`, { tenant: false }),
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, { name: 'tenant', unit: 'string' }, { name: 'noise_reduction', ...SHARE }, { name: 'fnr', ...SHARE }],
  };
}

function byServicePanel(value: 'noise_reduction' | 'fnr', title: string, description: string): SqlPanelSpec {
  return {
    source: 'clickhouse',
    kind: 'timeseries',
    title,
    description,
    width: 12,
    sql: toPanelSql(`SELECT time, service, ${value} FROM (${trendSql('service', true)}) ORDER BY time, service`, { tenant: true }),
    columns: [{ name: 'time', unit: 'dateTimeAsIso' }, { name: 'service', unit: 'string' }, { name: value, ...SHARE }],
  };
}

function rulesPanel(): SqlPanelSpec {
  const sql = `SELECT service, name, firing, suppressed, if(firing = 0, 0, suppressed / firing) AS noise_reduction,
      actionable, missed, if(actionable = 0, 0, missed / actionable) AS fnr
    FROM (
      SELECT service, name, sum(firing) AS firing, sum(suppressed) AS suppressed,
        sum(actionable) AS actionable, sum(actionable_suppressed) AS missed
      FROM (${trendSql('rule', true)})
      GROUP BY service, name
    )
    ORDER BY firing DESC, service, name
    LIMIT 50`;
  return {
    source: 'clickhouse',
    kind: 'table',
    title: 'Rules by firing alerts — $tenant',
    description: 'The 50 rules that fired most in the range: what Hush suppressed of each, and the actionable alerts it missed.',
    width: 24,
    height: 10,
    sql: toPanelSql(sql, { tenant: true }),
    columns: [
      { name: 'service', unit: 'string' },
      { name: 'name', unit: 'string' },
      { name: 'firing', unit: 'short', min: 1 },
      { name: 'suppressed', ...COUNT },
      { name: 'noise_reduction', ...SHARE },
      { name: 'actionable', ...COUNT },
      { name: 'missed', ...COUNT },
      { name: 'fnr', ...SHARE },
    ],
  };
}

/** Noise reduction with its FNR by tenant, service and rule (docs/analytics.md). */
export function noiseReductionDashboard(): DashboardSpec {
  return {
    uid: 'hush-noise-reduction',
    title: 'Hush — Noise reduction',
    description: 'Noise reduction with its false-negative rate, from the SLI rollups, hour by hour.',
    tenantVariable: true,
    from: 'now-7d',
    panels: [
      byTenantPanel(),
      byServicePanel('noise_reduction', 'Noise reduction by service — $tenant', 'Suppressed / firing alerts per service.'),
      byServicePanel('fnr', 'False-negative rate by service — $tenant', 'Actionable alerts suppressed / actionable alerts, per service (labelled alerts only).'),
      rulesPanel(),
    ],
  };
}
