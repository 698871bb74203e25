import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationJob } from '../../queues/jobs.js';
import { NotificationQueue } from '../../queues/notification-queue.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import type { AlertRow, DecisionRecord, DecisionRow, FeatureRow } from '../../shared/clickhouse/rows.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import type { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { FeatureStore } from '../../workers/scoring/feature-store.js';
import { ScoringProcessor, type RowBatchSink } from '../../workers/scoring/scoring-processor.js';
import { createTestDatabase, type TestDatabase } from '../clickhouse/clickhouse-test-db.js';
import { jobsOf, obliterateAll, uniquePrefix } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { dropFileTenants, firingAlert, resolvedAlert, rows, severityModel, sigmoid, uniqueTenant } from './worker-fixture.js';

let db: TestDatabase;
let redis: Redis;
let model: OnnxModel;
const prefix = uniquePrefix();
let notifications: NotificationQueue;
let sinks: { alerts: BatchWriter<AlertRow>; features: BatchWriter<FeatureRow>; decisions: BatchWriter<DecisionRow> };
/** tenant → champion; a tenant missing here is at cold start. */
const champions = new Map<string, OnnxModel>();
const seen: DecisionRecord[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db.client);
  redis = connectRedis();
  model = await severityModel();
  notifications = new NotificationQueue({ connection: redis, prefix });
  sinks = {
    alerts: new BatchWriter<AlertRow>(db.client, { table: 'alerts', flushDelayMs: 5 }),
    features: new BatchWriter<FeatureRow>(db.client, { table: 'features', flushDelayMs: 5 }),
    decisions: new BatchWriter<DecisionRow>(db.client, { table: 'decisions', flushDelayMs: 5 }),
  };
});

afterAll(async () => {
  await Promise.all([sinks.alerts.shutdown(), sinks.features.shutdown(), sinks.decisions.shutdown()]);
  await model.release();
  await notifications.close();
  await obliterateAll(redis, prefix);
  await dropFileTenants(redis);
  await redis.quit();
  await db.drop();
});

function newTenant(withModel: boolean): string {
  const tenant = uniqueTenant();
  if (withModel) champions.set(tenant, model);
  return tenant;
}

function writingAll<Row extends object>(writer: BatchWriter<Row>): RowBatchSink<Row> {
  return { writeAll: async (rows) => void (await Promise.all(rows.map((row) => writer.write(row)))) };
}

function processor(): ScoringProcessor {
  return new ScoringProcessor({
    features: new FeatureStore({ redis }),
    models: { currentModel: async (tenant) => champions.get(tenant) ?? null },
    thresholds: { getThreshold: async (_tenant, service) => (service === 'strict' ? 0.99 : 0.5) },
    sinks: { alerts: writingAll(sinks.alerts), features: writingAll(sinks.features), decisions: writingAll(sinks.decisions) },
    notifications,
    onDecision: (decision) => seen.push(decision),
  });
}

async function notificationsOf(tenant: string): Promise<NotificationJob[]> {
  return (await jobsOf<NotificationJob>(redis, prefix, 'notifications')).map((j) => j.data).filter((n) => n.tenant === tenant);
}

describe('ScoringProcessor', () => {
  it('scores firing alerts with the champion and lets the threshold decide notify or suppress', async () => {
    const tenant = newTenant(true);
    const critical = firingAlert(tenant, 0, { severity: 'critical', summary: 'disk full' });
    const info = firingAlert(tenant, 1000, { severity: 'info' });
    const strict = firingAlert(tenant, 2000, { severity: 'critical', service: 'strict' });
    const enqueuedAt = Date.now() - 50;
    const decisions = await processor().process([critical, info, strict], enqueuedAt);

    expect(decisions.map((d) => [d.alertId, d.decision])).toEqual([
      [critical.id, 'notify'],
      [info.id, 'suppress'],
      [strict.id, 'suppress'],
    ]);
    const [first] = decisions;
    expect(first?.score).toBeCloseTo(sigmoid(4), 5);
    expect(decisions[1]?.score).toBeCloseTo(sigmoid(-4), 5);
    expect(first).toMatchObject({ tenant, modelId: 'model-severity', modelVersion: 3, threshold: 0.5, service: 'checkout', name: 'HighLatency', eventTime: critical.startsAt, shadowModelId: null, shadowScore: null });
    expect(decisions[2]?.threshold).toBe(0.99);
    expect(first?.e2eLatencyUs).toBeGreaterThanOrEqual(50_000);
    expect(first?.scoringLatencyUs).toBeGreaterThanOrEqual(0);
    expect(seen.filter((d) => d.tenant === tenant)).toHaveLength(3);

    const stored = await decisionsFor(db.client, tenant, [critical.id, info.id, strict.id]);
    expect(new Map(stored.map((r) => [r.alert_id, r.decision]))).toEqual(
      new Map([
        [critical.id, 'notify'],
        [info.id, 'suppress'],
        [strict.id, 'suppress'],
      ]),
    );
    expect(stored.find((r) => r.alert_id === critical.id)).toMatchObject({ model_id: 'model-severity', model_version: 3, threshold: 0.5 });

    const notified = await notificationsOf(tenant);
    expect(notified).toEqual([
      {
        tenant,
        alertId: critical.id,
        name: 'HighLatency',
        service: 'checkout',
        severity: 'critical',
        summary: 'disk full',
        startsAt: critical.startsAt,
        score: expect.closeTo(sigmoid(4), 5),
        threshold: 0.5,
        modelId: 'model-severity',
      },
    ]);
  });

  it('stores every alert and one feature vector per firing alert', async () => {
    const tenant = newTenant(true);
    const a = firingAlert(tenant, 0);
    const b = firingAlert(tenant, 500, { labels: { team: 'payments', zone: 'eu-1' } });
    await processor().process([a, b], Date.now());
    const alertRows = await rows<{ alert_id: string; status: string; label_keys: string[] }>(db.client, `SELECT alert_id, status, label_keys FROM alerts FINAL WHERE tenant = ${sqlString(tenant)} ORDER BY alert_id`);
    expect(alertRows.map((r) => r.alert_id).sort()).toEqual([a.id, b.id].sort());
    const features = await rows<{ alert_id: string; feature_schema_version: number; values: number[] }>(db.client, `SELECT alert_id, feature_schema_version, values FROM features FINAL WHERE tenant = ${sqlString(tenant)}`);
    expect(features).toHaveLength(2);
    for (const row of features) {
      expect(row.feature_schema_version).toBe(FEATURE_SCHEMA_VERSION);
      expect(row.values).toHaveLength(FEATURE_COUNT);
    }
  });

  it('notifies every firing alert with a null score at cold start (no model yet)', async () => {
    const tenant = newTenant(false);
    const alerts = [firingAlert(tenant, 0, { severity: 'info' }), firingAlert(tenant, 10, { severity: 'critical' })];
    const decisions = await processor().process(alerts, Date.now());
    expect(decisions.map((d) => [d.decision, d.score, d.modelId, d.modelVersion])).toEqual([
      ['notify', null, '', 0],
      ['notify', null, '', 0],
    ]);
    const stored = await decisionsFor(db.client, tenant, alerts.map((a) => a.id));
    expect(stored.map((r) => [r.decision, r.score, r.model_id])).toEqual([
      ['notify', null, ''],
      ['notify', null, ''],
    ]);
    const notified = await notificationsOf(tenant);
    expect(notified.map((n) => [n.score, n.modelId]).sort()).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('makes no decision for a resolved alert but stores it', async () => {
    const tenant = newTenant(true);
    const alert = firingAlert(tenant, 0, { severity: 'critical' });
    const p = processor();
    await p.process([alert], Date.now());
    const decisions = await p.process([resolvedAlert(alert, 60_000)], Date.now());
    expect(decisions).toEqual([]);
    const statuses = await rows<{ status: string }>(db.client, `SELECT status FROM alerts WHERE tenant = ${sqlString(tenant)} ORDER BY status`);
    expect(statuses.map((r) => r.status)).toEqual(['firing', 'resolved']);
    expect(await decisionsFor(db.client, tenant, [alert.id])).toHaveLength(1);
  });

  it('yields the same single stored decision and notification when a job is retried', async () => {
    const tenant = newTenant(true);
    const alerts = [firingAlert(tenant, 0, { severity: 'critical' }), firingAlert(tenant, 100, { severity: 'info' })];
    const first = await processor().process(alerts, Date.now());
    const retried = await processor().process(alerts, Date.now());
    expect(retried.map((d) => [d.alertId, d.decision, d.score])).toEqual(first.map((d) => [d.alertId, d.decision, d.score]));
    const stored = await decisionsFor(db.client, tenant, alerts.map((a) => a.id));
    expect(stored).toHaveLength(2);
    expect(await notificationsOf(tenant)).toHaveLength(1);
  });

  it('scores each tenant of a mixed batch with its own model', async () => {
    const warm = newTenant(true);
    const cold = newTenant(false);
    const decisions = await processor().process([firingAlert(warm, 0, { severity: 'info' }), firingAlert(cold, 0, { severity: 'info' })], Date.now());
    expect(decisions.map((d) => [d.tenant, d.decision])).toEqual([
      [warm, 'suppress'],
      [cold, 'notify'],
    ]);
  });
});
