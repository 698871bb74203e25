import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Outcome } from '../../schemas/outcome.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import type { OutcomeRow } from '../../shared/clickhouse/rows.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { OutcomesProcessor } from '../../workers/outcomes/outcomes-processor.js';
import { featureIndex } from '../../workers/scoring/feature-schema.js';
import { FeatureStore } from '../../workers/scoring/feature-store.js';
import { createTestDatabase, type TestDatabase } from '../clickhouse/clickhouse-test-db.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { dropFileTenants, firingAlert, rows, T0, uniqueTenant } from './worker-fixture.js';

let db: TestDatabase;
let redis: Redis;
let sink: BatchWriter<OutcomeRow>;
let features: FeatureStore;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.client);
  redis = connectRedis();
  sink = new BatchWriter<OutcomeRow>(db.client, { table: 'outcomes', flushDelayMs: 5 });
  features = new FeatureStore({ redis });
});

afterAll(async () => {
  await sink.shutdown();
  await dropFileTenants(redis);
  await redis.quit();
  await db.drop();
});

const outcome = (tenant: string, alertId: string, kind: Outcome['outcome'], at = T0 + 60_000): Outcome => ({ tenant, alertId, outcome: kind, at, source: 'human' });

describe('OutcomesProcessor', () => {
  it('stores every label and feeds the rule counters that later alerts of the rule see', async () => {
    const tenant = uniqueTenant();
    const scored = firingAlert(tenant, 0);
    await features.observe([scored]);
    const processor = new OutcomesProcessor({ sink, feedback: features });
    expect(await processor.process([outcome(tenant, scored.id, 'actionable')])).toEqual([]);

    const stored = await rows<{ alert_id: string; outcome: string; source: string; at_ms: number }>(db.client, `SELECT alert_id, outcome, source, at_ms FROM outcomes FINAL WHERE tenant = ${sqlString(tenant)}`);
    expect(stored).toEqual([{ alert_id: scored.id, outcome: 'actionable', source: 'human', at_ms: 0 }]);

    const [later] = await features.observe([firingAlert(tenant, 120_000, { fingerprint: 'other-series' })]);
    // Beta(1, 1) prior plus one actionable outcome: (1 + 1) / (1 + 0 + 2).
    expect(later?.[featureIndex('rule_actionable_rate')]).toBeCloseTo(2 / 3, 5);
    expect(later?.[featureIndex('rule_log_outcomes')]).toBeCloseTo(Math.log1p(1), 5);
  });

  it('returns outcomes whose alert was never scored, and still stores their labels', async () => {
    const tenant = uniqueTenant();
    const known = firingAlert(tenant, 0);
    await features.observe([known]);
    const processor = new OutcomesProcessor({ sink, feedback: features });
    const early = outcome(tenant, 'not-scored-yet', 'noise');
    expect(await processor.process([outcome(tenant, known.id, 'noise'), early])).toEqual([early]);
    const stored = await rows<{ alert_id: string }>(db.client, `SELECT alert_id FROM outcomes FINAL WHERE tenant = ${sqlString(tenant)} ORDER BY alert_id`);
    expect(stored.map((r) => r.alert_id).sort()).toEqual([known.id, 'not-scored-yet'].sort());
  });

  it('counts a repeated outcome once and keeps one stored label per alert', async () => {
    const tenant = uniqueTenant();
    const scored = firingAlert(tenant, 0);
    await features.observe([scored]);
    const processor = new OutcomesProcessor({ sink, feedback: features });
    await processor.process([outcome(tenant, scored.id, 'noise')]);
    await processor.process([outcome(tenant, scored.id, 'noise')]);
    const [later] = await features.observe([firingAlert(tenant, 120_000, { fingerprint: 'next' })]);
    expect(later?.[featureIndex('rule_actionable_rate')]).toBeCloseTo(1 / 3, 5);
    const [count] = await rows<{ n: number }>(db.client, `SELECT count() AS n FROM outcomes FINAL WHERE tenant = ${sqlString(tenant)}`);
    expect(Number(count?.n)).toBe(1);
  });
});
