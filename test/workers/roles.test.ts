import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { createClickHouseClient, clickHouseOptionsFromConfig, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import { toDateTime, type ModelRow } from '../../shared/clickhouse/rows.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import { ChampionStore } from '../../shared/models/champion-store.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { startOutcomes } from '../../workers/outcomes/main.js';
import type { RunningRole } from '../../workers/role.js';
import { startScoring } from '../../workers/scoring/main.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { jobsOf } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { rows, severityModelBytes, sigmoid, tearDownRoles, uniqueTenant } from './worker-fixture.js';

let config: HushConfig;
let registry: Registry;
let redis: Redis;
let clickhouse: ClickHouseClient;
let scoring: RunningRole;
let outcomes: RunningRole;
const warm = uniqueTenant();
const cold = uniqueTenant();
const shadowed = uniqueTenant();

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('roles', '-'), clickhouseDatabase: uniqueName('hush_roles'), metricsPort: 0, logLevel: 'silent', scoringConcurrency: 8 });
  registry = new Registry();
  const logger = pino({ level: 'silent' });
  scoring = await startScoring({ config, logger, registry });
  outcomes = await startOutcomes({ config, logger, registry });
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
  const model: ModelRow = {
    tenant: warm,
    model_id: 'model-severity',
    kind: 'noise',
    version: 7,
    feature_schema_version: FEATURE_SCHEMA_VERSION,
    n_features: FEATURE_COUNT,
    created_at: toDateTime(Date.now()),
    artifact: Buffer.from(severityModelBytes()).toString('base64'),
    metrics: '{}',
    training_window_start: toDateTime(Date.UTC(2024, 0, 1)),
    training_window_end: toDateTime(Date.UTC(2024, 1, 1)),
    dataset_hash: 'test',
    reference_profile: '{}',
  };
  const challenger: ModelRow = { ...model, tenant: shadowed, model_id: 'model-challenger', version: 8, artifact: Buffer.from(severityModelBytes(2)).toString('base64') };
  await clickhouse.insert({ table: 'models', values: [model, { ...model, tenant: shadowed }, challenger], format: 'JSONEachRow' });
  await new ChampionStore({ redis }).setChampion(warm, 'noise', 'model-severity');
  await new ChampionStore({ redis }).setChampion(shadowed, 'noise', 'model-severity');
  await new ChampionStore({ redis, slot: 'challenger' }).setChampion(shadowed, 'noise', 'model-challenger');
});

afterAll(async () => {
  await tearDownRoles([outcomes, scoring], config, redis, clickhouse);
});

function producer(tenant: string): AlertProducer {
  return new AlertProducer({ tenant, redis, prefix: config.queuePrefix });
}

const wire = (id: string, severity: string, startsAt = '2024-05-01T12:00:00Z'): Record<string, unknown> => ({
  id,
  source: 'prometheus',
  name: 'DiskFull',
  service: 'storage',
  severity,
  status: 'firing',
  startsAt,
  labels: { host: `h-${id}` },
});

async function waitForDecisions(tenant: string, ids: string[]): Promise<Map<string, { decision: string; score: number | null; model_id: string; model_version: number }>> {
  let found = new Map<string, { decision: string; score: number | null; model_id: string; model_version: number }>();
  await waitFor(
    async () => {
      found = new Map((await decisionsFor(clickhouse, tenant, ids)).map((r) => [r.alert_id, r]));
      return found.size === ids.length;
    },
    { timeoutMs: 20_000, what: () => `decisions for ${ids.join(', ')} (have ${[...found.keys()].join(', ')})` },
  );
  return found;
}

describe('the scoring role', () => {
  it('answers its health checks', async () => {
    expect(scoring.name).toBe('scoring');
    expect(Object.keys(scoring.checks).sort()).toEqual(['journal', 'redis']);
    await expect(scoring.checks.redis?.()).resolves.toBeUndefined();
    await expect(scoring.checks.journal?.()).resolves.toBeUndefined();
  });

  it("scores alerts a producer pushes with the tenant's champion and records notify and suppress", async () => {
    const p = producer(warm);
    const response = await p.sendBulk([wire('w-critical', 'critical'), wire('w-info', 'info', '2024-05-01T12:00:01Z')]);
    await p.send(wire('w-single', 'critical', '2024-05-01T12:00:02Z'));
    await p.close();
    expect(response.rejected).toEqual([]);
    const decisions = await waitForDecisions(warm, ['w-critical', 'w-info', 'w-single']);
    expect(decisions.get('w-critical')).toMatchObject({ decision: 'notify', model_id: 'model-severity', model_version: 7 });
    expect(decisions.get('w-critical')?.score).toBeCloseTo(sigmoid(4), 4);
    expect(decisions.get('w-info')).toMatchObject({ decision: 'suppress', model_id: 'model-severity' });
    expect(decisions.get('w-single')?.decision).toBe('notify');

    await waitFor(async () => (await jobsOf(redis, config.queuePrefix, 'notifications')).filter((j) => (j.data as { tenant: string }).tenant === warm).length === 2, {
      timeoutMs: 10_000,
      what: 'two notifications',
    });
    // A job counts as completed once BullMQ has moved it, a moment after its decisions are stored.
    await waitFor(async () => /hush_scoring_jobs_total\{result="completed"\} [1-9]/.test(await registry.metrics()), { timeoutMs: 10_000, what: 'a completed job in the metrics' });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/hush_scoring_decisions_total\{decision="notify",model="model"\} [1-9]/);
    expect(metrics).toMatch(/hush_scoring_decisions_total\{decision="suppress",model="model"\} [1-9]/);
    expect(metrics).toMatch(/hush_scoring_jobs_total\{result="completed"\} [1-9]/);
    expect(metrics).toContain('hush_queue_jobs{queue="alerts",state="waiting"}');
    expect(metrics).toContain('hush_queue_jobs{queue="notifications",state="waiting"}');
  });

  it('scores the challenger in shadow beside the champion and records both, the champion deciding', async () => {
    const p = producer(shadowed);
    await p.send(wire('s-info', 'info'));
    await p.close();
    await waitForDecisions(shadowed, ['s-info']);
    const [row] = await decisionsFor(clickhouse, shadowed, ['s-info']);
    expect(row).toMatchObject({ decision: 'suppress', model_id: 'model-severity', shadow_model_id: 'model-challenger' });
    expect(row?.score).toBeCloseTo(sigmoid(-4), 4);
    expect(row?.shadow_score).toBeCloseTo(sigmoid(-8), 4);
  });

  it('notifies everything with a null score for a tenant without a model (cold start)', async () => {
    const p = producer(cold);
    await p.sendBulk([wire('c-1', 'info'), wire('c-2', 'critical', '2024-05-01T12:00:03Z')]);
    await p.close();
    const decisions = await waitForDecisions(cold, ['c-1', 'c-2']);
    expect([...decisions.values()].map((d) => [d.decision, d.score, d.model_id])).toEqual([
      ['notify', null, ''],
      ['notify', null, ''],
    ]);
    expect(await registry.metrics()).toMatch(/hush_scoring_decisions_total\{decision="notify",model="cold"\} [1-9]/);
  });

  it('fails a malformed job permanently with the field in its reason, without retrying it', async () => {
    const queue = new Queue('alerts', { connection: redis, prefix: config.queuePrefix });
    try {
      const job = await queue.add('alerts', { alerts: [{ id: 'x', tenant: warm }], enqueuedAt: Date.now() }, { attempts: 5 });
      await waitFor(async () => (await queue.getJobState(job.id as string)) === 'failed', { timeoutMs: 10_000, what: 'the malformed job to fail' });
      const failed = await queue.getJob(job.id as string);
      expect(failed?.failedReason).toBe('alerts[0].source must be a non-empty string');
      expect(failed?.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
    expect(await registry.metrics()).toMatch(/hush_scoring_jobs_total\{result="failed"\} [1-9]/);
  });
});

describe('the outcomes role', () => {
  it('answers its health check', async () => {
    expect(outcomes.name).toBe('outcomes');
    await expect(outcomes.checks.redis?.()).resolves.toBeUndefined();
  });

  it('stores outcomes a producer pushes', async () => {
    const p = producer(cold);
    await p.sendBulk([wire('o-1', 'critical', '2024-05-01T13:00:00Z')]);
    await waitForDecisions(cold, ['o-1']);
    const response = await p.sendOutcomes([{ alertId: 'o-1', outcome: 'actionable', at: '2024-05-01T13:10:00Z', source: 'human' }]);
    await p.close();
    expect(response.rejected).toEqual([]);
    await waitFor(async () => (await rows(clickhouse, `SELECT alert_id FROM outcomes FINAL WHERE tenant = ${sqlString(cold)} AND alert_id = 'o-1'`)).length === 1, {
      timeoutMs: 10_000,
      what: 'the outcome row',
    });
    const [row] = await rows<{ outcome: string; source: string }>(clickhouse, `SELECT outcome, source FROM outcomes FINAL WHERE tenant = ${sqlString(cold)} AND alert_id = 'o-1'`);
    expect(row).toEqual({ outcome: 'actionable', source: 'human' });
  });

  it('stores the label of an outcome whose alert was never scored and schedules a retry for its feedback', async () => {
    const p = producer(cold);
    await p.sendOutcomes([{ alertId: 'never-scored', outcome: 'noise', at: '2024-05-01T13:10:00Z', source: 'auto' }]);
    await p.close();
    await waitFor(
      async () => (await jobsOf<{ outcomes: { alertId: string }[]; retry?: number }>(redis, config.queuePrefix, 'outcomes')).some((j) => j.name === 'outcomes-retry' && j.data.retry === 1 && j.data.outcomes[0]?.alertId === 'never-scored'),
      { timeoutMs: 10_000, what: 'a delayed retry of the unmatched outcome' },
    );
    await waitFor(async () => (await rows(clickhouse, `SELECT alert_id FROM outcomes FINAL WHERE tenant = ${sqlString(cold)} AND alert_id = 'never-scored'`)).length === 1, {
      timeoutMs: 10_000,
      what: 'the unmatched outcome row',
    });
  });

  it('gives up on the feedback of an outcome after its last retry, counting it as unmatched', async () => {
    const queue = new Queue('outcomes', { connection: redis, prefix: config.queuePrefix });
    try {
      const outcome = { tenant: cold, alertId: 'never-scored-at-all', outcome: 'noise', source: 'auto', at: Date.UTC(2024, 4, 1, 13) };
      const job = await queue.add('outcomes-retry', { outcomes: [outcome], retry: 30 });
      await waitFor(async () => (await queue.getJobState(job.id as string)) === 'completed', {
        timeoutMs: 10_000,
        what: 'the last retry to complete',
      });
    } finally {
      await queue.close();
    }
    expect(await registry.metrics()).toMatch(/hush_outcomes_unmatched_total 1/);
    const retries = (await jobsOf<{ retry?: number; outcomes: { alertId: string }[] }>(redis, config.queuePrefix, 'outcomes')).filter((j) => j.data.outcomes[0]?.alertId === 'never-scored-at-all');
    expect(retries.map((j) => j.data.retry)).toEqual([30]);
  });

  it('fails a malformed outcomes job permanently naming the field', async () => {
    const queue = new Queue('outcomes', { connection: redis, prefix: config.queuePrefix });
    try {
      const job = await queue.add('outcomes', { outcomes: [{ tenant: cold, alertId: 'x', outcome: 'meh' }] }, { attempts: 5 });
      await waitFor(async () => (await queue.getJobState(job.id as string)) === 'failed', { timeoutMs: 10_000, what: 'the malformed outcomes job to fail' });
      expect((await queue.getJob(job.id as string))?.failedReason).toBe('outcomes[0].outcome must be actionable|noise');
    } finally {
      await queue.close();
    }
  });
});

describe('stopping the roles', () => {
  it('stops both roles gracefully once every pushed alert has its decision', async () => {
    const p = producer(cold);
    const ids = Array.from({ length: 20 }, (_, i) => `s-${i}`);
    await p.sendBulk(ids.map((id, i) => wire(id, 'warning', new Date(Date.UTC(2024, 4, 2, 0, 0, i)).toISOString())));
    await p.close();
    await waitForDecisions(cold, ids);
    await scoring.stop();
    await outcomes.stop();
    // A second stop of the roles' host is the host's business; the roles themselves are closed now.
    scoring = { name: 'scoring', checks: {}, stop: async () => undefined };
    outcomes = { name: 'outcomes', checks: {}, stop: async () => undefined };
  });
});
