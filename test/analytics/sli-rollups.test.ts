import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../../shared/clickhouse/migrator.js';
import { latencyPercentiles } from '../../shared/clickhouse/queries/latency-percentiles.js';
import { modelPerformance } from '../../shared/clickhouse/queries/model-performance.js';
import { noiseReductionTrend } from '../../shared/clickhouse/queries/noise-reduction-trend.js';
import { sliBurnRates } from '../../shared/clickhouse/queries/sli-burn-rates.js';
import { sloCompliance } from '../../shared/clickhouse/queries/slo-compliance.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { SLI_BUCKETS } from '../../shared/slo/sli-buckets.js';
import { createTestDatabase, type TestDatabase } from '../clickhouse/clickhouse-test-db.js';
import { BASE, MINUTE, writeDecisions, writeOutcomes, type SliDecision } from './sli-fixtures.js';

const HOUR = 60 * MINUTE;

async function rows<T>(db: TestDatabase, query: string): Promise<T[]> {
  return (await db.client.query({ query, format: 'JSONEachRow' })).json<T>();
}

describe('SLI rollups and burn rates', () => {
  let db: TestDatabase;
  const tenant = `t-${randomUUID().slice(0, 8)}`;
  // Hand-computed below against the default SLOs (e2e ≤ 140 ms, inference ≤ 15 ms, freshness ≤ 60 s).
  const decisions: SliDecision[] = [
    { tenant, alertId: 'd1', minute: BASE + 55 * MINUTE, decision: 'suppress', e2eMs: 100, inferenceMs: 2, freshnessS: 10 },
    { tenant, alertId: 'd2', minute: BASE + 55 * MINUTE, decision: 'notify', e2eMs: 200, inferenceMs: 20, freshnessS: 90 },
    { tenant, alertId: 'd3', minute: BASE + 40 * MINUTE, decision: 'suppress', e2eMs: 50, inferenceMs: 1, freshnessS: 0, service: 'cart' },
    { tenant, alertId: 'd4', minute: BASE + 40 * MINUTE, decision: 'notify', e2eMs: 140, inferenceMs: 15, freshnessS: 60, model: null },
    { tenant, alertId: 'd5', minute: BASE - 2 * HOUR, decision: 'notify', e2eMs: 5000, inferenceMs: 1, freshnessS: 5, model: { id: 'gbt-8', version: 8 } },
    { tenant, alertId: 'd6', minute: BASE - 2 * HOUR, decision: 'suppress', e2eMs: 10, inferenceMs: 1, freshnessS: 5 },
  ];
  const at = BASE + 59 * MINUTE + 30_000;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.client);
    await writeDecisions(db.client, [...decisions, { ...decisions[0] as SliDecision, tenant: 'other-tenant' }]);
    await writeOutcomes(db.client, tenant, [['d1', 'actionable'], ['d2', 'actionable'], ['d3', 'noise'], ['d5', 'noise'], ['d6', 'actionable']]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('counts firing, suppressed, notified and latency buckets per minute', async () => {
    const minute = await rows<Record<string, unknown>>(db, `SELECT toString(minute) AS minute, service, model_id, sum(firing) AS firing,
        sum(suppressed) AS suppressed, sum(notified) AS notified, sum(cold_start) AS cold_start,
        sumForEachMerge(e2e_le) AS e2e, sumForEachMerge(inference_le) AS inference, sumForEachMerge(freshness_le) AS freshness
      FROM sli_decisions_minute WHERE tenant = ${sqlString(tenant)}
      GROUP BY minute, service, model_id ORDER BY minute, service, model_id`);
    expect(minute).toEqual([
      { minute: '2025-03-14 07:00:00', service: 'checkout', model_id: 'gbt-7', firing: 1, suppressed: 1, notified: 0, cold_start: 0,
        e2e: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], inference: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], freshness: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      { minute: '2025-03-14 07:00:00', service: 'checkout', model_id: 'gbt-8', firing: 1, suppressed: 0, notified: 1, cold_start: 0,
        e2e: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1], inference: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], freshness: [0, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      { minute: '2025-03-14 09:40:00', service: 'cart', model_id: 'gbt-7', firing: 1, suppressed: 1, notified: 0, cold_start: 0,
        e2e: [0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1], inference: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], freshness: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1] },
      { minute: '2025-03-14 09:40:00', service: 'checkout', model_id: '', firing: 1, suppressed: 0, notified: 1, cold_start: 1,
        e2e: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1], inference: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1], freshness: [0, 0, 0, 0, 1, 1, 1, 1, 1, 1] },
      { minute: '2025-03-14 09:55:00', service: 'checkout', model_id: 'gbt-7', firing: 2, suppressed: 1, notified: 1, cold_start: 0,
        e2e: [0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2], inference: [0, 1, 1, 1, 1, 2, 2, 2, 2, 2], freshness: [0, 0, 1, 1, 1, 2, 2, 2, 2, 2] },
    ]);
    const hour = await rows(db, `SELECT toString(hour) AS hour, sum(firing) AS firing, sum(suppressed) AS suppressed
      FROM sli_decisions_hour WHERE tenant = ${sqlString(tenant)} GROUP BY hour ORDER BY hour`);
    expect(hour).toEqual([{ hour: '2025-03-14 07:00:00', firing: 2, suppressed: 1 }, { hour: '2025-03-14 09:00:00', firing: 4, suppressed: 2 }]);
  });

  it('joins each outcome to its decision and rolls it up by the alert minute', async () => {
    const minute = await rows(db, `SELECT toString(minute) AS minute, service, model_id, sum(labeled) AS labeled, sum(actionable) AS actionable,
        sum(actionable_suppressed) AS actionable_suppressed, sum(noise_notified) AS noise_notified, sum(noise_suppressed) AS noise_suppressed
      FROM sli_outcomes_minute WHERE tenant = ${sqlString(tenant)} GROUP BY minute, service, model_id ORDER BY minute, service, model_id`);
    expect(minute).toEqual([
      { minute: '2025-03-14 07:00:00', service: 'checkout', model_id: 'gbt-7', labeled: 1, actionable: 1, actionable_suppressed: 1, noise_notified: 0, noise_suppressed: 0 },
      { minute: '2025-03-14 07:00:00', service: 'checkout', model_id: 'gbt-8', labeled: 1, actionable: 0, actionable_suppressed: 0, noise_notified: 1, noise_suppressed: 0 },
      { minute: '2025-03-14 09:40:00', service: 'cart', model_id: 'gbt-7', labeled: 1, actionable: 0, actionable_suppressed: 0, noise_notified: 0, noise_suppressed: 1 },
      { minute: '2025-03-14 09:55:00', service: 'checkout', model_id: 'gbt-7', labeled: 2, actionable: 2, actionable_suppressed: 1, noise_notified: 0, noise_suppressed: 0 },
    ]);
    const hour = await rows(db, `SELECT toString(hour) AS hour, sum(labeled) AS labeled, sum(actionable_suppressed) AS fn
      FROM sli_outcomes_hour WHERE tenant = ${sqlString(tenant)} GROUP BY hour ORDER BY hour`);
    expect(hour).toEqual([{ hour: '2025-03-14 07:00:00', labeled: 2, fn: 1 }, { hour: '2025-03-14 09:00:00', labeled: 3, fn: 1 }]);
  });

  it('computes burn rates over the SRE workbook windows and fires the right alerts', async () => {
    const burns = await sliBurnRates(db.client, { tenant, at });
    const of = (name: string) => {
      const burn = burns.find((b) => b.slo.name === name);
      if (!burn) throw new Error(`no ${name}`);
      return burn;
    };
    const counts = (name: string) => of(name).windows.map((w) => [w.minutes, w.eligible, w.bad]);
    expect(counts('noise_reduction')).toEqual([[5, 2, 1], [30, 4, 2], [60, 4, 2], [360, 6, 3], [4320, 6, 3]]);
    expect(counts('false_negatives')).toEqual([[5, 2, 1], [30, 2, 1], [60, 2, 1], [360, 3, 2], [4320, 3, 2]]);
    expect(counts('e2e_latency')).toEqual([[5, 2, 1], [30, 4, 1], [60, 4, 1], [360, 6, 2], [4320, 6, 2]]);
    expect(counts('inference_latency')).toEqual([[5, 2, 1], [30, 4, 1], [60, 4, 1], [360, 6, 1], [4320, 6, 1]]);
    expect(counts('freshness')).toEqual([[5, 2, 1], [30, 4, 1], [60, 4, 1], [360, 6, 1], [4320, 6, 1]]);

    expect(of('false_negatives').windows[0]?.burnRate).toBeCloseTo(0.5 / 0.015, 9);
    expect(of('noise_reduction').windows[3]?.burnRate).toBeCloseTo(0.5 / 0.55, 9);
    expect(of('e2e_latency').windows[3]?.burnRate).toBeCloseTo(2 / 6 / 0.05, 9);
    const firing = (name: string) => of(name).alerts.map((a) => a.firing);
    // FNR 1/2 and 2/3 burn ≥ 14.4× everywhere; e2e burns 10× (5 m), 5× (30 m, 1 h), 6.7× (6 h, 3 d).
    expect(firing('false_negatives')).toEqual([true, true, true]);
    expect(firing('e2e_latency')).toEqual([false, false, true]);
    expect(firing('noise_reduction')).toEqual([false, false, false]);
    expect((await sliBurnRates(db.client, { tenant: 'nobody', at })).every((b) => b.windows.every((w) => w.burnRate === 0))).toBe(true);
  });

  it('reports each SLO over its window against its error budget', async () => {
    const report = await sloCompliance(db.client, { at, tenant });
    const fnr = report.find((r) => r.slo.name === 'false_negatives');
    expect(fnr).toMatchObject({ tenant, eligible: 3, bad: 2, met: false });
    expect(fnr?.budgetUsed).toBeCloseTo(2 / 3 / 0.015, 9);
    const noise = report.find((r) => r.slo.name === 'noise_reduction');
    expect(noise).toMatchObject({ eligible: 6, bad: 3, attained: 0.5, met: true });
    const all = await sloCompliance(db.client, { at });
    expect([...new Set(all.map((r) => r.tenant))]).toEqual(['other-tenant', tenant].sort());
  });

  it('answers every dashboard query from the rollups', async () => {
    const range = { from: BASE - 3 * HOUR, to: BASE + HOUR };
    for (const by of ['tenant', 'service', 'rule'] as const) {
      for (const step of ['minute', 'hour', 'day'] as const) {
        const trend = await noiseReductionTrend(db.client, { ...range, step, by, tenant });
        expect(trend.reduce((s, r) => s + r.firing, 0)).toBe(6);
        expect(trend.reduce((s, r) => s + r.actionable_suppressed, 0)).toBe(2);
        expect(trend.every((r) => r.noise_reduction >= 0 && r.noise_reduction <= 1 && r.fnr >= 0 && r.fnr <= 1)).toBe(true);
      }
    }
    const byService = await noiseReductionTrend(db.client, { ...range, step: 'day', by: 'service', tenant });
    expect(byService.map((r) => [r.service, r.firing, r.suppressed, r.noise_reduction, r.fnr])).toEqual([['cart', 1, 1, 1, 0], ['checkout', 5, 2, 0.4, 2 / 3]]);

    const models = await modelPerformance(db.client, { ...range, tenant });
    expect(models.map((m) => [m.model_id, m.model_version, m.firing, m.suppressed, m.labeled, m.actionable, m.actionable_suppressed, m.fnr, m.precision])).toEqual([
      ['', 0, 1, 0, 0, 0, 0, 0, 0],
      ['gbt-7', 7, 4, 3, 4, 3, 2, 2 / 3, 1],
      ['gbt-8', 8, 1, 0, 1, 0, 0, 0, 0],
    ]);

    for (const step of ['minute', 'hour', 'day'] as const) {
      const latency = await latencyPercentiles(db.client, { ...range, step, tenant });
      expect(latency.reduce((s, r) => s + r.decisions, 0)).toBe(6);
    }
    const [day] = await latencyPercentiles(db.client, { ...range, step: 'day', tenant, service: 'cart' });
    expect(day).toMatchObject({ decisions: 1, e2e_p99_ms: 50, inference_p50_ms: 1, freshness_p99_s: 0 });
  });

  it('keeps the bucket bounds of the views and of the SLO code in step', async () => {
    const sql = (await readFile(`${MIGRATIONS_DIR}/0006_sli_decisions.sql`, 'utf8')) + (await readFile(`${MIGRATIONS_DIR}/0009_sli_tenant_hour.sql`, 'utf8'));
    const bounds = (column: string) =>
      [...sql.matchAll(/\[([0-9, ]+)\]\)\) AS (\w+_le)/g)].filter((m) => m[2] === column).map((m) => (m[1] ?? '').split(', ').map(Number));
    expect(bounds('e2e_le')).toEqual([[...SLI_BUCKETS.e2eMs], [...SLI_BUCKETS.e2eMs], [...SLI_BUCKETS.e2eMs]]);
    expect(bounds('inference_le')).toEqual([[...SLI_BUCKETS.inferenceMs], [...SLI_BUCKETS.inferenceMs], [...SLI_BUCKETS.inferenceMs]]);
    expect(bounds('freshness_le')).toEqual([[...SLI_BUCKETS.freshnessS], [...SLI_BUCKETS.freshnessS], [...SLI_BUCKETS.freshnessS]]);
  });
});

describe('how exact the rollups are', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.client);
  });
  afterAll(async () => {
    await db.drop();
  });

  const base = { minute: BASE, decision: 'suppress', e2eMs: 10, inferenceMs: 1, freshnessS: 1 } as const;
  const sum = async (table: string, column: string, tenant: string): Promise<number> =>
    Number((await rows<{ n: number }>(db, `SELECT sum(${column}) AS n FROM ${table} WHERE tenant = ${sqlString(tenant)}`))[0]?.n ?? 0);

  it('counts a decision inserted twice twice, while decisions FINAL shows it once', async () => {
    const tenant = `dup-${randomUUID().slice(0, 8)}`;
    await writeDecisions(db.client, [{ ...base, tenant, alertId: 'a' }]);
    await writeDecisions(db.client, [{ ...base, tenant, alertId: 'a' }]);
    expect(await sum('sli_decisions_minute', 'firing', tenant)).toBe(2);
    const [final] = await rows<{ n: number }>(db, `SELECT count() AS n FROM decisions FINAL WHERE tenant = ${sqlString(tenant)}`);
    expect(final?.n).toBe(1);
  });

  it('misses an outcome stored before its decision and one older than the 2-day lookback', async () => {
    const tenant = `late-${randomUUID().slice(0, 8)}`;
    await writeOutcomes(db.client, tenant, [['early', 'actionable']]);
    await writeDecisions(db.client, [
      { ...base, tenant, alertId: 'early' },
      { ...base, tenant, alertId: 'old', minute: BASE - 3 * 24 * HOUR },
      { ...base, tenant, alertId: 'fresh' },
    ]);
    await writeOutcomes(db.client, tenant, [['old', 'actionable'], ['fresh', 'actionable'], ['unknown', 'noise']]);
    expect(await sum('sli_outcomes_minute', 'actionable', tenant)).toBe(1);
    expect(await sum('sli_outcomes_hour', 'actionable_suppressed', tenant)).toBe(1);
  });
});
