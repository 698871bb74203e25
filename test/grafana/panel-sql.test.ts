import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burnRateAlertRules } from '../../grafana/alert-rules.js';
import { TENANT_VARIABLE_SQL } from '../../grafana/dashboard-json.js';
import { allDashboards } from '../../grafana/dashboards/index.js';
import type { ColumnSpec, SqlPanelSpec } from '../../grafana/panel-spec.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { createRedis } from '../../shared/redis/connection.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';
import { createTestDatabase, type TestDatabase } from '../clickhouse/clickhouse-test-db.js';
import { serviceUrls } from '../helpers/services.js';
import { renderPanelSql, type QueryContext } from './render-panel-sql.js';
import { REPLAY_MODELS, recordPipelineHistory, replayWorld, type ReplaySummary } from './replayed-world.js';

const HOUR = 3_600_000;
const DAYS = 2;

interface QueryResult {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
}

const panels = allDashboards().flatMap((d) => d.panels.filter((p): p is SqlPanelSpec => p.source === 'clickhouse').map((p) => ({ dashboard: d.title, ...p })));

function checkValue(column: ColumnSpec, value: unknown, where: string): void {
  if (column.unit === 'dateTimeAsIso') {
    expect(Number.isNaN(Date.parse(`${String(value).replace(' ', 'T')}Z`)), `${where}: ${String(value)} is a time`).toBe(false);
  } else if (column.min !== undefined || column.max !== undefined) {
    const n = Number(value);
    expect(Number.isFinite(n), `${where}: ${String(value)} is a finite number`).toBe(true);
    if (column.min !== undefined) expect(n, where).toBeGreaterThanOrEqual(column.min);
    if (column.max !== undefined) expect(n, where).toBeLessThanOrEqual(column.max);
  }
}

describe('Grafana panels against ClickHouse holding a replayed stream', () => {
  let db: TestDatabase;
  let redis: Redis;
  let replay: ReplaySummary;
  const tenant = `gf-${randomUUID().slice(0, 8)}`;
  const keyPrefix = `test-${randomUUID()}`;
  const now = Date.now();
  const startMs = Math.floor(now / HOUR) * HOUR - DAYS * 24 * HOUR;
  const context: QueryContext = { from: startMs - HOUR, to: now + 10 * 60_000, intervalMs: 5 * 60_000, variables: { tenant } };

  async function run(sql: string): Promise<QueryResult> {
    const { meta = [], data } = await (await db.client.query({ query: sql, format: 'JSON' })).json<Record<string, unknown>>();
    return { meta, data };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.client);
    redis = createRedis(serviceUrls().redisUrl);
    replay = await replayWorld(db.client, { tenant, startMs, days: DAYS, alerts: 3000 });
    await recordPipelineHistory(db.client, redis, tenant, keyPrefix);
  }, 180_000);

  afterAll(async () => {
    if (redis !== undefined) await unlinkMatching(redis, `${keyPrefix}:*`);
    redis?.disconnect();
    await db?.drop();
  });

  it.each(panels.map((p) => [`${p.dashboard} / ${p.title}`, p] as const))('%s: its SQL runs and returns its declared columns with sane values', async (name, panel) => {
    const result = await run(renderPanelSql(panel.sql, context));
    expect(result.meta.map((m) => m.name)).toEqual(panel.columns.map((c) => c.name));
    expect(result.data.length, `${name} returns rows for the replayed tenant`).toBeGreaterThan(0);
    for (const [i, row] of result.data.entries()) {
      for (const column of panel.columns) checkValue(column, row[column.name], `${name} row ${i} ${column.name}`);
    }
  });

  it('model versions add up to every replayed decision, by model', async () => {
    const panel = panels.find((p) => p.title.startsWith('Model versions'));
    const rows = (await run(renderPanelSql(panel?.sql ?? '', context))).data;
    const byModel = Object.fromEntries(rows.map((r) => [String(r.model_id), Number(r.firing)]));
    expect(byModel).toEqual(Object.fromEntries(REPLAY_MODELS.map((m) => [m.id, replay.decisionsByModel.get(m.id)])));
    const coldStart = rows.find((r) => r.model_id === '');
    expect(Number(coldStart?.noise_reduction)).toBe(0);
  });

  it('the tenant variable lists the replayed tenant', async () => {
    const rows = (await run(TENANT_VARIABLE_SQL)).data;
    expect(rows.map((r) => r.tenant)).toContain(tenant);
  });

  it.each(burnRateAlertRules().map((rule) => [rule.title, rule] as const))('alert rule %s: both window queries run and give each tenant a burn rate ≥ 0', async (_title, rule) => {
    for (const query of rule.data.filter((q) => q.relativeTimeRange !== undefined)) {
      const seconds = query.relativeTimeRange?.from ?? 0;
      const result = await run(renderPanelSql(String(query.model.rawSql), { ...context, from: now - seconds * 1000, to: now }));
      expect(result.meta.map((m) => m.name)).toEqual(['tenant', 'burn_rate']);
      for (const row of result.data) expect(Number(row.burn_rate)).toBeGreaterThanOrEqual(0);
      if (seconds >= 6 * 3600) expect(result.data.map((r) => r.tenant)).toContain(tenant);
    }
  });
});
