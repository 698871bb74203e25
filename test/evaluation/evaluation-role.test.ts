import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { createClickHouseClient, dropDatabase, clickHouseOptionsFromConfig, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { decisionRow, msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { EvaluationQueue } from '../../queues/evaluation-queue.js';
import { TrainingQueue, type TrainingStatus } from '../../queues/training-queue.js';
import type { TrainingJob } from '../../queues/jobs.js';
import { ThresholdStore, TENANT_WIDE_SERVICE } from '../../shared/models/threshold-store.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { startEvaluation } from '../../workers/evaluation/main.js';
import { startTraining } from '../../workers/training/main.js';
import type { RunningRole } from '../../workers/role.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { storeLabelledHistory } from '../training/labelled-history.js';
import { dropFileTenants, uniqueTenant } from '../workers/worker-fixture.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let roles: RunningRole[] = [];
let training: TrainingQueue;
let evaluation: EvaluationQueue;
let models: ModelRegistry;
const START = Date.UTC(2025, 3, 1);
/** Enough labelled alerts that the evaluation set (the half training holds out) holds ~1,000 actionable or more: see DEFAULT_EVALUATION_POLICY. */
const HISTORY = 12_000;

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('evaluation', '-'), clickhouseDatabase: uniqueName('hush_evaluation'), metricsPort: 0, logLevel: 'silent' });
  const context = { config, logger: pino({ level: 'silent' }), registry: new Registry() };
  roles = [await startTraining(context), await startEvaluation(context)];
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
  training = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  evaluation = new EvaluationQueue({ connection: redis, prefix: config.queuePrefix });
  models = new ModelRegistry(clickhouse, redis);
});

afterAll(async () => {
  for (const role of roles.reverse()) await role.stop();
  await training?.close();
  await evaluation?.close();
  await clickhouse?.close();
  await obliterateAll(redis, config.queuePrefix);
  await dropFileTenants(redis);
  await redis?.quit();
  await dropDatabase(clickHouseOptionsFromConfig(config));
});

async function train(tenant: string, params: Record<string, number> = { n_estimators: 40 }): Promise<string> {
  const job: TrainingJob = { tenant, kind: 'noise', family: 'gbdt', params, requestedBy: 'test' };
  const jobId = await training.request(job);
  let status: TrainingStatus | null = null;
  await waitFor(
    async () => {
      status = await training.status(tenant, jobId);
      return status !== null && (status.state === 'completed' || status.state === 'failed');
    },
    { timeoutMs: 60_000, what: `training ${jobId}` },
  );
  const done = status as unknown as TrainingStatus;
  if (done.state !== 'completed' || !done.result) throw new Error(`training failed: ${done.failedReason}`);
  return done.result.modelId;
}

/** A history where criticality decides the label exactly, so a model can suppress the rest at FNR 0. */
const separable = (tenant: string, offset = 0): Promise<void> =>
  storeLabelledHistory(clickhouse, tenant, { n: HISTORY, start: START + offset * 60_000, offset, actionableRate: [1, 0], criticalShare: 0.3 });

describe('evaluation role', () => {
  it('says so when a tenant has neither champion nor challenger', async () => {
    const result = await evaluation.evaluateNow({ tenant: uniqueTenant(), kind: 'noise' });
    expect(result.action).toBe('nothing-to-evaluate');
  });

  it('promotes a challenger that suppresses noise within the FNR target and installs its thresholds', async () => {
    const tenant = uniqueTenant();
    await separable(tenant);
    const modelId = await train(tenant);
    expect(await models.challenger(tenant, 'noise')).toBe(modelId);

    const result = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    expect(result).toMatchObject({ action: 'promoted', champion: modelId });
    expect(await models.champion(tenant, 'noise')).toBe(modelId);
    expect(await models.challenger(tenant, 'noise')).toBeNull();
    const evidence = result.evidence as { challenger: { noiseReduction: number; fnrUpper: number }; champion: { noiseReduction: number } };
    expect(evidence.champion.noiseReduction).toBe(0);
    expect(evidence.challenger.noiseReduction).toBeGreaterThan(0.6);
    expect(evidence.challenger.fnrUpper).toBeLessThanOrEqual(0.01);

    const thresholds = new ThresholdStore({ redis, defaultThreshold: 0.5 });
    const tenantWide = await thresholds.getThreshold(tenant, 'a-service-never-seen');
    expect(tenantWide).toBeGreaterThan(0);
    expect(tenantWide).not.toBe(0.5);
    expect((await redis.hgetall(`hush:{${tenant}}:thresholds`))[TENANT_WIDE_SERVICE]).toBeDefined();
    thresholds.close();
    const [promotion] = (await models.history(tenant, 'noise')).filter((e) => e.action === 'promote');
    expect(promotion?.evidence).toMatchObject({ rule: 'promote' });
  });

  it('rejects a challenger trained on shuffled labels, keeps the champion and serves it with the thresholds re-certified on the new alerts', async () => {
    const tenant = uniqueTenant();
    await separable(tenant);
    const champion = await train(tenant);
    expect((await evaluation.evaluateNow({ tenant, kind: 'noise' })).action).toBe('promoted');
    // Read from Redis itself: a ThresholdStore caches what it read until the change notice arrives.
    const tenantWide = async (): Promise<number> => Number(await redis.hget(`hush:{${tenant}}:thresholds`, TENANT_WIDE_SERVICE));
    const promoted = await tenantWide();
    expect(promoted).toBeGreaterThan(0);
    // Labels independent of every feature: the challenger cannot suppress within the FNR target, and
    // neither can the champion any more: its promotion thresholds would miss ~30% of actionable alerts.
    await storeLabelledHistory(clickhouse, tenant, { n: HISTORY, start: START + HISTORY * 60_000, offset: HISTORY, actionableRate: [0.3, 0.3], criticalShare: 0.3, seed: 99 });
    const worse = await train(tenant);
    const result = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    expect(result).toMatchObject({ action: 'kept', champion, challenger: worse });
    expect(result.reason).toContain("champion's thresholds re-certified");
    expect(await models.champion(tenant, 'noise')).toBe(champion);
    expect(await models.challenger(tenant, 'noise')).toBeNull();
    // The champion's thresholds re-tuned on the evaluation alerts (FNR-certified there) are now served,
    // and the reject event records their figures, which the drift and rollback watches judge against.
    const recertified = (result.evidence as { recertified: { modelId: string; noiseReduction: number; fnrUpper: number } }).recertified;
    expect(recertified).toMatchObject({ modelId: champion });
    expect(recertified.fnrUpper).toBeLessThanOrEqual(0.01);
    expect(recertified.noiseReduction).toBeLessThan(0.05);
    const served = await tenantWide();
    expect(served).toBeLessThan(promoted);
    const reject = (await models.history(tenant, 'noise')).find((e) => e.action === 'reject');
    expect(reject?.evidence).toMatchObject({ recertified: { modelId: champion } });
    const thresholds = new ThresholdStore({ redis, defaultThreshold: 0.5 });
    const changes = await new ThresholdRegistry({ redis, clickhouse, thresholds }).history(tenant, TENANT_WIDE_SERVICE);
    thresholds.close();
    // (Its `previous` is what the role's cached store read, not asserted here.)
    expect(changes.at(-1)).toMatchObject({ threshold: served, reason: `re-certified for ${champion} when ${worse} was rejected` });
    // With no challenger the rollback watch judges the champion against the re-certified figure, not its promotion's.
    const watch = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    expect(watch).toMatchObject({ action: 'kept', champion, challenger: null, evidence: { reference: { noiseReduction: recertified.noiseReduction } } });
  }, 60_000); // two trainings and two evaluations

  it('rolls back a champion whose live decisions miss actionable alerts', async () => {
    const tenant = uniqueTenant();
    await separable(tenant);
    const champion = await train(tenant);
    expect((await evaluation.evaluateNow({ tenant, kind: 'noise' })).action).toBe('promoted');
    expect(await redis.hget(`hush:{${tenant}}:thresholds`, TENANT_WIDE_SERVICE)).not.toBeNull();
    // The live champion suppresses 300 alerts that people then label actionable: FNR far above target.
    const liveStart = Date.now() + 60_000;
    const decisions = [];
    const outcomes = [];
    for (let i = 0; i < 300; i += 1) {
      const alertId = `live-${i}`;
      const eventTime = liveStart + i * 1000;
      decisions.push(decisionRow({ tenant, alertId, service: 'svc-0', name: 'Rule', eventTime, modelId: champion, modelVersion: 1, score: 0.01, threshold: 0.5, decision: 'suppress', shadowModelId: null, shadowScore: null, scoringLatencyUs: 1, e2eLatencyUs: 1, decidedAt: eventTime }));
      outcomes.push({ tenant, alert_id: alertId, outcome: 'actionable', at: toDateTime(eventTime), at_ms: msPart(eventTime), source: 'incident', received_at: toDateTime(eventTime), received_at_ms: msPart(eventTime) });
    }
    await clickhouse.insert({ table: 'decisions', values: decisions, format: 'JSONEachRow' });
    await clickhouse.insert({ table: 'outcomes', values: outcomes, format: 'JSONEachRow' });

    const result = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    expect(result).toMatchObject({ action: 'rolled-back', champion: null });
    expect(result.evidence).toMatchObject({ rule: 'live-fnr-above-target' });
    expect(await models.champion(tenant, 'noise')).toBeNull();
    const rollback = (await models.history(tenant, 'noise')).find((e) => e.action === 'rollback');
    expect(rollback).toMatchObject({ previousModelId: champion });
    // No champion left: the thresholds tuned for the one removed go with it.
    expect(await redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({});
  });

  it('keeps a challenger in shadow while too few labelled alerts follow its training window', async () => {
    const tenant = uniqueTenant();
    // Half of 700 is held out by training: 350 labelled alerts after its window, fewer than the 400 needed.
    await storeLabelledHistory(clickhouse, tenant, { n: 700, start: START, actionableRate: [1, 0] });
    const modelId = await train(tenant);
    const result = await evaluation.evaluateNow({ tenant, kind: 'noise' });
    expect(result).toMatchObject({ action: 'kept', challenger: modelId });
    expect(result.reason).toMatch(/waiting for labels/);
    expect(await models.challenger(tenant, 'noise')).toBe(modelId);
  });
});
