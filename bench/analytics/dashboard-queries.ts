import type { ClickHouseClient } from '../../shared/clickhouse/client.js';
import { latencyPercentiles } from '../../shared/clickhouse/queries/latency-percentiles.js';
import { modelPerformance } from '../../shared/clickhouse/queries/model-performance.js';
import { noiseReductionTrend } from '../../shared/clickhouse/queries/noise-reduction-trend.js';
import { sliBurnRates } from '../../shared/clickhouse/queries/sli-burn-rates.js';
import { sloCompliance } from '../../shared/clickhouse/queries/slo-compliance.js';

/** One dashboard query as a panel runs it: the named query over the benchmark's whole range. */
export interface DashboardQuery {
  name: string;
  run: (client: ClickHouseClient) => Promise<number>;
}

/** Every dashboard query, over [from, to) (epoch ms); each returns its row count. */
export function dashboardQueries(from: number, to: number): DashboardQuery[] {
  const range = { from, to };
  const last = to - 1;
  return [
    { name: 'slo_compliance_all_tenants', run: async (c) => (await sloCompliance(c, { at: last })).length },
    { name: 'burn_rates_tenant', run: async (c) => (await sliBurnRates(c, { tenant: 'tenant-0', at: last })).length },
    { name: 'noise_trend_by_tenant_hourly', run: async (c) => (await noiseReductionTrend(c, { ...range, step: 'hour', by: 'tenant' })).length },
    { name: 'noise_trend_by_service_daily', run: async (c) => (await noiseReductionTrend(c, { ...range, step: 'day', by: 'service' })).length },
    { name: 'noise_trend_by_rule_daily', run: async (c) => (await noiseReductionTrend(c, { ...range, step: 'day', by: 'rule' })).length },
    { name: 'noise_trend_tenant_rules_hourly', run: async (c) => (await noiseReductionTrend(c, { ...range, step: 'hour', by: 'rule', tenant: 'tenant-0' })).length },
    { name: 'model_performance', run: async (c) => (await modelPerformance(c, range)).length },
    { name: 'latency_percentiles_hourly', run: async (c) => (await latencyPercentiles(c, { ...range, step: 'hour' })).length },
    { name: 'latency_percentiles_tenant_daily', run: async (c) => (await latencyPercentiles(c, { ...range, step: 'day', tenant: 'tenant-0' })).length },
    { name: 'latency_percentiles_last_day_by_minute', run: async (c) => (await latencyPercentiles(c, { from: Math.max(from, to - 86_400_000), to, step: 'minute' })).length },
  ];
}
