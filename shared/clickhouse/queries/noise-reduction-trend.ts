import type { ClickHouseClient } from '@clickhouse/client';
import { sqlFilters, sqlRange, stepSource, type TimeRange, type TrendStep } from './sli-range.js';

/** What to trend and how to slice it. */
export interface NoiseTrendQuery extends TimeRange {
  step: TrendStep;
  /** One series per tenant, per (tenant, service) or per (tenant, service, rule). */
  by: 'tenant' | 'service' | 'rule';
  tenant?: string;
  service?: string;
  name?: string;
}

/** One point of a series; service/name are '' when not part of `by`. FNR always comes with it (DESIGN §4). */
export interface NoiseTrendRow {
  time: string;
  tenant: string;
  service: string;
  name: string;
  firing: number;
  suppressed: number;
  noise_reduction: number;
  actionable: number;
  actionable_suppressed: number;
  fnr: number;
}

const KEYS = { tenant: ['tenant'], service: ['tenant', 'service'], rule: ['tenant', 'service', 'name'] } as const;

export function noiseReductionTrendSql(query: NoiseTrendQuery): string {
  const keys: readonly string[] = KEYS[query.by];
  const select = ['tenant', 'service', 'name'].map((k) => (keys.includes(k) ? k : `'' AS ${k}`)).join(', ');
  const group = ['time', 'tenant', 'service', 'name'].join(', ');
  const side = (kind: 'decisions' | 'outcomes', values: string): string => {
    const s = stepSource(query.step, kind);
    // Per tenant (no service/rule filter), the per-tenant decision rollup answers with far fewer rows.
    const table = kind === 'decisions' && query.by === 'tenant' && query.service === undefined && query.name === undefined && query.step !== 'minute' ? 'sli_tenant_hour' : s.table;
    return `SELECT ${s.bucket} AS time, ${select}, ${values} FROM ${table}
      WHERE ${sqlRange(s.column, query)}${sqlFilters(query)}`;
  };
  // One aggregation over both rollups (UNION ALL) instead of a JOIN of two: cheaper on 18.16.
  return `SELECT time, tenant, service, name, firing, suppressed,
      if(firing = 0, 0, suppressed / firing) AS noise_reduction,
      actionable, actionable_suppressed,
      if(actionable = 0, 0, actionable_suppressed / actionable) AS fnr
    FROM (
      SELECT ${group}, sum(f) AS firing, sum(s) AS suppressed, sum(a) AS actionable, sum(fn) AS actionable_suppressed
      FROM (
        ${side('decisions', 'firing AS f, suppressed AS s, toUInt64(0) AS a, toUInt64(0) AS fn')}
        UNION ALL
        ${side('outcomes', 'toUInt64(0) AS f, toUInt64(0) AS s, actionable AS a, actionable_suppressed AS fn')}
      )
      GROUP BY ${group}
    )
    WHERE firing > 0
    ORDER BY tenant, service, name, time`;
}

/** Noise reduction with its FNR over time, by tenant, service or rule, from the SLI rollups. */
export async function noiseReductionTrend(client: ClickHouseClient, query: NoiseTrendQuery): Promise<NoiseTrendRow[]> {
  const result = await client.query({ query: noiseReductionTrendSql(query), format: 'JSONEachRow' });
  return (await result.json<NoiseTrendRow>()).map((r) => ({
    ...r,
    firing: Number(r.firing),
    suppressed: Number(r.suppressed),
    actionable: Number(r.actionable),
    actionable_suppressed: Number(r.actionable_suppressed),
  }));
}
