import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../schemas/alert.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { migrate } from '../../shared/clickhouse/migrator.js';
import { countDecisions } from '../../shared/clickhouse/queries/count-decisions.js';
import { decisionSummary } from '../../shared/clickhouse/queries/decision-summary.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import { findTablesContaining } from '../../shared/clickhouse/queries/find-tables-containing.js';
import {
  alertRow, featureRow, fromDateTime, msPart, outcomeRow, toDateTime,
  type AlertRow, type DecisionRow, type FeatureRow, type OutcomeRow,
} from '../../shared/clickhouse/rows.js';
import { createTestDatabase, type TestDatabase } from './clickhouse-test-db.js';
import { decision } from './decision-fixtures.js';

const ALERT: Alert = {
  id: "al'1\\",
  tenant: 'acme',
  source: 'prometheus',
  name: 'HighLatency',
  service: 'checkout',
  severity: 'critical',
  status: 'firing',
  startsAt: Date.UTC(2025, 0, 31, 23, 59, 59, 987),
  endsAt: null,
  summary: 'p99 above 2s for user [redacted] \ud800',
  labels: { zone: 'eu-1', instance: 'web-3' },
  value: 2.31,
  fingerprint: 'f00d',
};

describe('rows and named queries', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrate(db.client);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('converts epoch ms to a UTC DateTime and a millisecond part', () => {
    const ms = Date.UTC(2025, 0, 31, 23, 59, 59, 987);
    expect(toDateTime(ms)).toBe('2025-01-31 23:59:59');
    expect(msPart(ms)).toBe(987);
    expect(fromDateTime('2025-01-31 23:59:59', 987)).toBe(ms);
    expect(() => toDateTime(-1, 'startsAt')).toThrow(/startsAt must be a time between 1970 and 2106/);
    expect(() => decision('acme', 'a', { score: Number.NaN })).toThrow(/score must be a finite number/);
  });

  it('stores an alert, its features and outcome exactly as converted', async () => {
    const alerts = new BatchWriter<AlertRow>(db.client, { table: 'alerts', flushDelayMs: 0 });
    const features = new BatchWriter<FeatureRow>(db.client, { table: 'features', flushDelayMs: 0 });
    const outcomes = new BatchWriter<OutcomeRow>(db.client, { table: 'outcomes', flushDelayMs: 0 });
    const ingestedAt = Date.UTC(2025, 1, 1, 0, 0, 1);
    await alerts.write(alertRow(ALERT, ingestedAt));
    await features.write(featureRow({ tenant: 'acme', alertId: ALERT.id, eventTime: ALERT.startsAt, featureSchemaVersion: 3, values: new Float32Array([0.5, 2, -1]) }, ingestedAt));
    await outcomes.write(outcomeRow({ tenant: 'acme', alertId: ALERT.id, outcome: 'noise', at: ingestedAt, source: 'human' }, ingestedAt));
    await outcomes.write(outcomeRow({ tenant: 'acme', alertId: ALERT.id, outcome: 'actionable', at: ingestedAt, source: 'incident' }, ingestedAt + 5000));
    await Promise.all([alerts.shutdown(), features.shutdown(), outcomes.shutdown()]);

    const [alert] = await (await db.client.query({ query: 'SELECT * FROM alerts FINAL', format: 'JSONEachRow' })).json<AlertRow>();
    expect(alert).toEqual({ ...alertRow(ALERT, ingestedAt), summary: 'p99 above 2s for user [redacted] \ufffd' });
    expect(alert?.label_keys).toEqual(['instance', 'zone']);
    const [feature] = await (await db.client.query({ query: 'SELECT values FROM features FINAL', format: 'JSONEachRow' })).json<{ values: number[] }>();
    expect(feature?.values).toEqual([0.5, 2, -1]);
    const labels = await (await db.client.query({ query: 'SELECT outcome, source FROM outcomes FINAL', format: 'JSONEachRow' })).json();
    expect(labels).toEqual([{ outcome: 'actionable', source: 'incident' }]);
  });

  it('reads decisions back per alert and summarises noise reduction', async () => {
    const tenant = `t-${randomUUID()}`;
    const writer = new BatchWriter<DecisionRow>(db.client, { table: 'decisions' });
    const rows = [
      decision(tenant, 'a1', { decision: 'notify', score: 0.9 }),
      decision(tenant, 'a2'),
      decision(tenant, 'a3'),
      decision(tenant, 'a4', { decision: 'notify', score: null, modelId: '', modelVersion: 0 }),
    ];
    await Promise.all([...rows, rows[1] as DecisionRow].map((r) => writer.write(r)));
    await writer.write(decision('other-tenant', 'a1'));
    await writer.shutdown();

    const found = await decisionsFor(db.client, tenant, ['a1', 'a4', 'missing', "'); DROP TABLE decisions; --"]);
    expect(found.sort((a, b) => a.alert_id.localeCompare(b.alert_id))).toEqual([rows[0], rows[3]]);
    const many = Array.from({ length: 4500 }, (_, i) => `id-${i}-${randomUUID()}`).concat('a2');
    expect((await decisionsFor(db.client, tenant, many)).map((r) => r.alert_id)).toEqual(['a2']);
    expect(await decisionSummary(db.client, tenant)).toEqual({ alerts: 4, notified: 2, suppressed: 2, noise_reduction: 0.5 });
    expect(await decisionSummary(db.client, 'nobody')).toEqual({ alerts: 0, notified: 0, suppressed: 0, noise_reduction: 0 });
    expect(await countDecisions(db.client, tenant)).toBe(4);
  });

  it('finds which tables and columns contain a text, including arrays', async () => {
    const hits = await findTablesContaining(db.client, 'eu-1');
    expect(hits).toEqual([{ table: 'alerts', column: 'label_values', rows: 1 }]);
    expect(await findTablesContaining(db.client, "al'1\\")).toEqual([
      { table: 'alerts', column: 'alert_id', rows: 1 },
      { table: 'features', column: 'alert_id', rows: 1 },
      { table: 'outcomes', column: 'alert_id', rows: 2 },
    ]);
    expect(await findTablesContaining(db.client, 'jane.doe@example.com')).toEqual([]);
    await expect(findTablesContaining(db.client, '')).rejects.toThrow(/non-empty/);
  });
});
