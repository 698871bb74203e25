import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { driftCommand } from '../../cli/commands/drift.js';
import { DriftQueue } from '../../queues/drift-queue.js';
import { TrainingQueue } from '../../queues/training-queue.js';
import { TokenStore } from '../../shared/auth/token-store.js';
import { clickHouseOptionsFromConfig, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { runDriftCheck } from '../../workers/drift/drift-processor.js';
import { referenceProfile } from '../../workers/training/reference-profile.js';
import { createHarness, type Harness } from '../gateway/harness.js';
import { uniqueName } from '../helpers/fleet.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { dropFileTenants, uniqueTenant } from '../workers/worker-fixture.js';
import { HOUR, NAMES, SCHEMA_VERSION, driftDependencies, storeFeatures, trainingSet, vectors } from './drift-fixture.js';

const KIND = 'noise';
const T0 = Date.UTC(2025, 8, 1, 10);
const TOKEN = 'drift-api-token-0123456789';
const OTHER_TOKEN = 'drift-api-other-0123456789';
const tenant = uniqueTenant();
const other = uniqueTenant();

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let training: TrainingQueue;
let drift: DriftQueue;
let models: ModelRegistry;
let championId: string;
let h: Harness;

const get = (url: string, token = TOKEN) => h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  config = loadConfig({ queuePrefix: uniqueName('driftapi', '-'), clickhouseDatabase: uniqueName('hush_drift_api'), metricsPort: 0, logLevel: 'silent' });
  clickhouse = await openDatabase(config);
  redis = connectRedis();
  training = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  drift = new DriftQueue({ connection: redis, prefix: config.queuePrefix });
  models = new ModelRegistry(clickhouse, redis);
  ({ modelId: championId } = await models.register({
    tenant, kind: KIND, family: 'gbdt', onnx: new Uint8Array([1]), featureSchemaVersion: SCHEMA_VERSION, nFeatures: NAMES.length,
    metrics: { holdout: { noiseReduction: 0.6, fnr: 0.005 } }, trainingWindow: { start: T0 - 30 * 86_400_000, end: T0 - 86_400_000 }, datasetHash: 'abc',
    referenceProfile: referenceProfile(trainingSet(vectors(1000, 1)), NAMES, SCHEMA_VERSION),
  }));
  await models.promote(tenant, KIND, championId, 'test');
  // Two shifted hours, each judged by the worker's own check: two reports and two retraining decisions.
  for (const hour of [0, 1]) {
    await storeFeatures(clickhouse, tenant, vectors(2000, 20 + hour, true), T0 + hour * HOUR, HOUR, `h${hour}`);
    await runDriftCheck({ tenant, kind: KIND, windowKind: 'tumbling', windowMs: HOUR, windowEnd: T0 + (hour + 1) * HOUR }, driftDependencies(clickhouse, models, training));
  }
  await drift.schedule(tenant, KIND);
  h = await createHarness({
    tokens: new TokenStore(redis, new Map([[TOKEN, tenant], [OTHER_TOKEN, other]])),
    ml: {
      registry: models,
      training,
      thresholds: new ThresholdRegistry({ redis, clickhouse, thresholds: new ThresholdStore({ redis, cacheTtlMs: 0 }) }),
      drift: { clickhouse, schedules: drift },
    },
  });
});

afterAll(async () => {
  await h?.close();
  await drift?.unschedule(tenant, KIND);
  await Promise.all([training?.close(), drift?.close()]);
  await obliterateAll(redis, config.queuePrefix);
  // The model registry's champion pointers of both tenants (hush:{tenant}:…).
  await dropFileTenants(redis);
  await redis?.quit();
  await clickhouse?.close();
  await dropDatabase(clickHouseOptionsFromConfig(config));
});

/** What `hush drift --tenant T --json …` prints, parsed. */
async function cliJson(args: string[]): Promise<Record<string, unknown>> {
  const env = { HUSH_CLICKHOUSE_DATABASE: config.clickhouseDatabase, HUSH_QUEUE_PREFIX: config.queuePrefix, HUSH_REDIS_URL: config.redisUrl, HUSH_CLICKHOUSE_URL: config.clickhouseUrl };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expect(await driftCommand.run(['--tenant', tenant, '--json', ...args])).toBe(0);
    return JSON.parse(String(log.mock.calls.at(-1)?.[0])) as Record<string, unknown>;
  } finally {
    log.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('GET /api/v1/ml/drift', () => {
  it('answers the latest reports with every statistic and the next planned training with its reason', async () => {
    const response = await get('/api/v1/ml/drift');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ tenant, modelId: null });
    expect(body.reports.map((r: { windowEnd: string }) => r.windowEnd)).toEqual([new Date(T0 + 2 * HOUR).toISOString(), new Date(T0 + HOUR).toISOString()]);
    expect(body.reports[0]).toMatchObject({ kind: KIND, modelId: championId, windowKind: 'tumbling', rows: 2000, evaluatedFeatures: NAMES.length, datasetDrift: true });
    const latency = body.reports[0].features.find((f: { name: string }) => f.name === 'latency');
    expect(latency).toMatchObject({ test: 'wasserstein', drifted: true, type: 'numeric', n: 2000, role: 'behaviour', inShare: true });
    expect(latency.statistic).toBeGreaterThan(0.5);
    expect(typeof latency.psi).toBe('number');
    // Both checks saw drift in an hour's window, which is reported but does not trigger training, and say so.
    expect(body.decisions).toHaveLength(2);
    expect(body.nextTraining).toMatchObject({ kind: KIND, action: 'wait', trigger: 'none', volumeClass: 'low', jobId: '' });
    expect(body.nextTraining.reason).toContain(`dataset drift in the tumbling ${new Date(T0 + HOUR).toISOString()}–${new Date(T0 + 2 * HOUR).toISOString()} window (50.0% of features drifted) is reported, not a trigger: the window is shorter than 7 d`);
    expect(Date.parse(body.nextTraining.nextScheduledAt)).toBeGreaterThan(0);
    expect(body.scheduled.map((s: { windowKind: string }) => s.windowKind).sort()).toEqual(['sliding', 'tumbling']);
  });

  it('answers exactly what hush drift --json prints', async () => {
    expect((await get(`/api/v1/ml/drift?limit=1&model=${championId}`)).json()).toEqual(await cliJson(['--limit', '1', '--model', championId]));
  });

  it('narrows to one model and bounds the reports by ?limit=', async () => {
    const one = (await get('/api/v1/ml/drift?limit=1')).json();
    expect(one.reports).toHaveLength(1);
    expect(one.reports[0].windowEnd).toBe(new Date(T0 + 2 * HOUR).toISOString());
    const unknown = (await get('/api/v1/ml/drift?model=noise-v99-gbdt')).json();
    expect(unknown).toMatchObject({ modelId: 'noise-v99-gbdt', reports: [], decisions: [], nextTraining: null });
  });

  it("shows a tenant nothing of another tenant's drift", async () => {
    const body = (await get('/api/v1/ml/drift', OTHER_TOKEN)).json();
    expect(body).toEqual({ tenant: other, modelId: null, reports: [], decisions: [], nextTraining: null, scheduled: [] });
  });

  it.each([
    ['limit=0', /^limit must be an integer in \[1, 1000\]/],
    ['limit=1001', /^limit must be an integer/],
    ['limit=2.5', /^limit must be an integer/],
    ['limit=1&limit=2', /^limit must be an integer/],
    ['model=', /^model must be 1\.\.128 characters long/],
    ['model=%01x', /^model must not contain control characters/],
    ['kind=noise', /^kind is not a query parameter here \(model, limit\)/],
  ])('answers 400 naming the parameter for ?%s', async (query, message) => {
    const response = await get(`/api/v1/ml/drift?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('HUSH_ERR_VALIDATION');
    expect(response.json().message).toMatch(message);
  });

  it('is documented in the OpenAPI document with its parameters and statuses', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const operation = doc.paths['/api/v1/ml/drift'].get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['model', 'limit']);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '500', '503']);
    const body = (await get('/api/v1/ml/drift')).json();
    expect(Object.keys(doc.components.schemas.DriftOverview.properties).sort()).toEqual(Object.keys(body).sort());
    expect(Object.keys(doc.components.schemas.DriftReport.properties).sort()).toEqual(Object.keys(body.reports[0]).sort());
  });

  it('needs a token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/ml/drift' })).statusCode).toBe(401);
  });
});
