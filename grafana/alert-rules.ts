import { BURN_RATE_ALERTS } from '../shared/slo/burn-rate-windows.js';
import { SLO_NAMES, SLO_SPEC, resolveTenantSlos, type SloName, type SloSpec } from '../shared/slo/slos.js';
import { CLICKHOUSE_PLUGIN } from './clickhouse-plugin.js';
import { DATASOURCES } from './datasources.js';
import { burnRateByTenantSql } from './sql/slo-sql.js';

/** One query of an alert rule: a ClickHouse query over the last `seconds`, or a server-side expression. */
export interface AlertQuery {
  refId: string;
  relativeTimeRange?: { from: number; to: number };
  datasourceUid: string;
  model: Record<string, unknown>;
}

/** A Grafana-managed alert rule as the provisioning file declares it. */
export interface AlertRule {
  uid: string;
  title: string;
  condition: string;
  data: AlertQuery[];
  noDataState: 'OK' | 'NoData' | 'Alerting';
  execErrState: 'Error' | 'Alerting' | 'OK';
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  isPaused: boolean;
}

const FOLDER = 'Hush';
const GROUP = 'hush-slo-burn-rates';

/** The highest burn rate any tenant can reach: every eligible event bad, over the smallest budget. */
function maxBurnRate(name: SloName, spec: SloSpec): number {
  const budgets = ['', ...Object.keys(spec.tenants)].map((tenant) => resolveTenantSlos(tenant, spec)[name].errorBudget);
  return 1 / Math.min(...budgets);
}

function windowQuery(refId: string, name: SloName, minutes: number): AlertQuery {
  return {
    refId,
    relativeTimeRange: { from: minutes * 60, to: 0 },
    datasourceUid: DATASOURCES.clickhouse.uid,
    model: { refId, datasource: { ...DATASOURCES.clickhouse }, editorType: 'sql', queryType: 'table', format: 1, pluginVersion: CLICKHOUSE_PLUGIN.version, rawSql: burnRateByTenantSql(name, minutes) },
  };
}

function label(minutes: number): string {
  return minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

/**
 * The multiwindow, multi-burn-rate alerts (shared/slo/burn-rate-windows.ts) for every SLO, one alert
 * instance per tenant: both windows must burn at least the rate. Rules no tenant could ever trigger
 * (the rate exceeds 1 / error budget, e.g. noise reduction pages) are left out.
 */
export function burnRateAlertRules(spec: SloSpec = SLO_SPEC): AlertRule[] {
  return SLO_NAMES.flatMap((name) => BURN_RATE_ALERTS.filter((alert) => alert.burnRate <= maxBurnRate(name, spec)).map((alert): AlertRule => {
    const windows = `${label(alert.longMinutes)} & ${label(alert.shortMinutes)}`;
    const condition = `$A >= ${alert.burnRate} && $B >= ${alert.burnRate}`;
    return {
      uid: `hush-${name.replaceAll('_', '-')}-burn-${label(alert.longMinutes)}-${label(alert.shortMinutes)}`,
      title: `${name} burn ≥ ${alert.burnRate}× over ${windows}`,
      condition: 'C',
      data: [
        windowQuery('A', name, alert.longMinutes),
        windowQuery('B', name, alert.shortMinutes),
        { refId: 'C', datasourceUid: '__expr__', model: { refId: 'C', type: 'math', expression: condition, datasource: { type: '__expr__', uid: '__expr__' } } },
      ],
      noDataState: 'OK',
      execErrState: 'Error',
      for: '1m',
      labels: { severity: alert.severity, slo: name, service: 'hush' },
      annotations: {
        summary: `Tenant {{ $labels.tenant }} burns its ${name} error budget at ≥ ${alert.burnRate}× over both ${windows}`,
        description: `Burn rate = bad share / error budget (docs/slos.md); at ${alert.burnRate}× the ${alert.severity === 'page' ? 'budget is gone within days: page' : 'budget runs out before the window ends: ticket'}. Dashboard: Hush — SLO & burn rates.`,
      },
      isPaused: false,
    };
  }));
}

/** Grafana's alerting provisioning file with every burn-rate rule in one evaluation group. */
export function alertRuleProvisioning(spec: SloSpec = SLO_SPEC): Record<string, unknown> {
  return {
    apiVersion: 1,
    groups: [{ orgId: 1, name: GROUP, folder: FOLDER, interval: '1m', rules: burnRateAlertRules(spec) }],
  };
}
