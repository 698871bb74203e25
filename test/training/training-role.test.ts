import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { createClickHouseClient, dropDatabase, clickHouseOptionsFromConfig, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { ClickHouseArtifactSource } from '../../shared/models/clickhouse-artifact-source.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { OnnxModel } from '../../shared/onnx/onnx-model.js';
import { TrainingQueue, type TrainingStatus } from '../../queues/training-queue.js';
import type { TrainingJob } from '../../queues/jobs.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { assembleDataset } from '../../workers/training/dataset.js';
import { startTraining } from '../../workers/training/main.js';
import type { RunningRole } from '../../workers/role.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { dropFileTenants, uniqueTenant } from '../workers/worker-fixture.js';
import { storeLabelledHistory } from './labelled-history.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let training: RunningRole;
let queue: TrainingQueue;
let models: ModelRegistry;
const START = Date.UTC(2025, 2, 1);

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('training', '-'), clickhouseDatabase: uniqueName('hush_training'), metricsPort: 0, logLevel: 'silent' });
  training = await startTraining({ config, logger: pino({ level: 'silent' }), registry: new Registry() });
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
  queue = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  models = new ModelRegistry(clickhouse, redis);
});

afterAll(async () => {
  await training?.stop();
  await queue?.close();
  await clickhouse?.close();
  await obliterateAll(redis, config.queuePrefix);
  await dropFileTenants(redis);
  await redis?.quit();
  await dropDatabase(clickHouseOptionsFromConfig(config));
});

const storeHistory = (tenant: string, n: number): Promise<void> => storeLabelledHistory(clickhouse, tenant, { n, start: START });

const request = (tenant: string, overrides: Partial<TrainingJob> = {}): TrainingJob => ({
  tenant,
  kind: 'noise',
  family: 'gbdt',
  params: { n_estimators: 30 },
  requestedBy: 'test',
  ...overrides,
});

async function finished(tenant: string, jobId: string): Promise<TrainingStatus> {
  let status: TrainingStatus | null = null;
  await waitFor(
    async () => {
      status = await queue.status(tenant, jobId);
      return status !== null && (status.state === 'completed' || status.state === 'failed');
    },
    { timeoutMs: 60_000, what: `training job ${jobId}` },
  );
  return status as unknown as TrainingStatus;
}

describe('training dataset', () => {
  it('joins stored features to outcomes, leaves unlabelled alerts out and holds out only later alerts', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 500);
    const dataset = await assembleDataset(clickhouse, { tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT });
    expect(dataset.train.nRows + dataset.holdout.nRows).toBe(450);
    expect(dataset.holdout.nRows).toBe(90);
    expect(dataset.holdout.eventTimes[0]).toBeGreaterThan(dataset.train.eventTimes[dataset.train.nRows - 1] as number);
    expect(dataset.train.alertIds).not.toContain('a-9');
    expect(dataset.train.services.slice(0, 3)).toEqual(['svc-0', 'svc-1', 'svc-2']);
    expect(dataset.train.eventTimes[0]).toBe(START);
    // a-499 is unlabelled, so the holdout ends at a-498
    expect(dataset.holdout.eventTimes[dataset.holdout.nRows - 1]).toBe(START + 498 * 60_000);
    const again = await assembleDataset(clickhouse, { tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT });
    expect(again.contentHash).toBe(dataset.contentHash);
  });

  it('refuses to train on too few labelled alerts, naming the count', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 50);
    await expect(assembleDataset(clickhouse, { tenant, featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT })).rejects.toThrow(/has 45 labelled alerts/);
  });
});

describe('training role', () => {
  it('trains, reports progress, and registers a challenger whose artifact scores like training', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 1200);
    const jobId = await queue.request(request(tenant));
    const status = await finished(tenant, jobId);
    expect(status.failedReason).toBeNull();
    expect(status.state).toBe('completed');
    expect(status.progress).toMatchObject({ fraction: 1 });
    const result = status.result;
    expect(result?.modelId).toBe('noise-v1-gbdt');
    const holdout = (result?.metrics as { holdout: { auc: number } }).holdout;
    expect(holdout.auc).toBeGreaterThan(0.8);
    // No evaluation has measured the tenant's label noise yet: the training measured it on its own rows.
    const labelNoise = (result?.metrics as { trainingLabelNoise: { rate: number; source: string; crossFit: { anchors: number } } }).trainingLabelNoise;
    expect(labelNoise).toMatchObject({ source: 'cross-fit', crossFit: { folds: 2, rate: labelNoise.rate } });
    expect(labelNoise.crossFit.anchors).toBeGreaterThan(100);
    expect(result?.metrics).toMatchObject({ params: { label_noise: labelNoise.rate } });

    const [listed] = await models.list(tenant, 'noise');
    expect(listed).toMatchObject({ modelId: 'noise-v1-gbdt', version: 1, champion: false, featureSchemaVersion: FEATURE_SCHEMA_VERSION });
    const artifact = await new ClickHouseArtifactSource(clickhouse).load(tenant, 'noise-v1-gbdt');
    expect(artifact?.meta).toMatchObject({ version: 1, nFeatures: FEATURE_COUNT });
    const model = await OnnxModel.load(artifact?.bytes as Uint8Array, artifact?.meta as never);
    const critical = new Float32Array(FEATURE_COUNT).fill(1);
    const quiet = new Float32Array(FEATURE_COUNT).fill(1);
    quiet[0] = 0;
    const [pCritical, pQuiet] = await model.score([critical, quiet]);
    expect(pCritical).toBeGreaterThan(0.5);
    expect(pQuiet).toBeLessThan(0.5);
  });

  it("corrects the trees for the label noise the tenant's last evaluation measured, unless the job sets it", async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 300);
    const train = async (params: Record<string, number>): Promise<Record<string, unknown>> => {
      const status = await finished(tenant, await queue.request(request(tenant, { params })));
      expect(status.failedReason).toBeNull();
      return status.result?.metrics ?? {};
    };
    await train({ n_estimators: 5 });
    await models.reject(tenant, 'noise', 'noise-v1-gbdt', 'no noise gain', { labelNoise: { rate: 0.037, lower: 0.03, upper: 0.045, anchors: 900, anchorsActionable: 33 } });
    const history = await models.history(tenant, 'noise');
    const rejected = history.find((e) => e.action === 'reject');
    expect(await train({ n_estimators: 5 })).toMatchObject({
      params: { label_noise: 0.037 },
      trainingLabelNoise: { rate: 0.037, source: 'evaluation', event: { action: 'reject', modelId: 'noise-v1-gbdt', at: rejected?.at } },
    });
    expect(await train({ n_estimators: 5, label_noise: 0.01 })).toMatchObject({ params: { label_noise: 0.01 }, trainingLabelNoise: { rate: 0.01, source: 'params' } });
    // What GET /api/v1/models lists.
    const listed = await models.list(tenant, 'noise');
    expect(listed.map((m) => (m.metrics.trainingLabelNoise as { source: string }).source)).toEqual(['params', 'evaluation', 'cross-fit']);
  }, 60_000);

  it('keeps one training per (tenant, kind) in flight', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 300);
    const first = await queue.request(request(tenant, { params: { n_estimators: 200 } }));
    const second = await queue.request(request(tenant));
    expect(second).toBe(first);
    await finished(tenant, first);
  });

  it('fails a request with an unknown hyper-parameter permanently, naming it', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 300);
    const jobId = await queue.request(request(tenant, { params: { n_trees: 5 } }));
    const status = await finished(tenant, jobId);
    expect(status.state).toBe('failed');
    expect(status.failedReason).toMatch(/n_trees/);
    expect(await queue.status('another-tenant', jobId)).toBeNull();
  });
});

describe('model registry', () => {
  it('promotes, rolls back along the promotion history and records every change with its reason', async () => {
    const tenant = uniqueTenant();
    await storeHistory(tenant, 300);
    for (let i = 0; i < 3; i += 1) await finished(tenant, await queue.request(request(tenant, { params: { n_estimators: 5 + i } })));
    expect((await models.list(tenant, 'noise')).map((m) => m.modelId)).toEqual(['noise-v3-gbdt', 'noise-v2-gbdt', 'noise-v1-gbdt']);
    expect(await models.challenger(tenant, 'noise')).toBe('noise-v3-gbdt');
    await models.reject(tenant, 'noise', 'noise-v2-gbdt', 'worse than the champion', { fnrUpper: 0.05 });
    expect(await models.challenger(tenant, 'noise')).toBe('noise-v3-gbdt');

    await models.promote(tenant, 'noise', 'noise-v1-gbdt', 'first model');
    await models.promote(tenant, 'noise', 'noise-v3-gbdt', 'better', { gain: 0.1 });
    expect(await models.champion(tenant, 'noise')).toBe('noise-v3-gbdt');
    expect(await models.challenger(tenant, 'noise')).toBeNull();
    expect(await models.rollback(tenant, 'noise', 'degraded')).toEqual({ previous: 'noise-v3-gbdt', current: 'noise-v1-gbdt' });
    expect(await models.rollback(tenant, 'noise', 'degraded again')).toEqual({ previous: 'noise-v1-gbdt', current: null });
    expect(await models.champion(tenant, 'noise')).toBeNull();
    await expect(models.rollback(tenant, 'noise', 'nothing left')).rejects.toMatchObject({ code: 'HUSH_ERR_NOT_FOUND' });
    await expect(models.promote(tenant, 'noise', 'noise-v9-gbdt', 'missing')).rejects.toMatchObject({ code: 'HUSH_ERR_NOT_FOUND' });

    const history = await models.history(tenant, 'noise');
    expect(history.map((e) => [e.action, e.modelId, e.previousModelId, e.reason])).toEqual([
      ['register', 'noise-v1-gbdt', '', expect.stringMatching(/^trained gbdt/)],
      ['register', 'noise-v2-gbdt', '', expect.stringMatching(/^trained gbdt/)],
      ['register', 'noise-v3-gbdt', '', expect.stringMatching(/^trained gbdt/)],
      ['reject', 'noise-v2-gbdt', '', 'worse than the champion'],
      ['promote', 'noise-v1-gbdt', '', 'first model'],
      ['promote', 'noise-v3-gbdt', 'noise-v1-gbdt', 'better'],
      ['rollback', 'noise-v1-gbdt', 'noise-v3-gbdt', 'degraded'],
      ['rollback', '', 'noise-v1-gbdt', 'degraded again'],
    ]);
    expect(history[3]?.evidence).toEqual({ fnrUpper: 0.05 });
    expect(history[5]?.evidence).toEqual({ gain: 0.1 });
  });
});
