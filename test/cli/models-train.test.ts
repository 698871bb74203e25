import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingQueue } from '../../queues/training-queue.js';
import { clickHouseOptionsFromConfig, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { decisionRow, featureRow, msPart, toDateTime } from '../../shared/clickhouse/rows.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { createRedis } from '../../shared/redis/connection.js';
import type { RunningRole } from '../../workers/role.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { startTraining } from '../../workers/training/main.js';
import { REPO_ROOT, hushEnvironment, uniqueName } from '../helpers/fleet.js';
import { prng } from '../helpers/prng.js';
import { serviceUrls } from '../helpers/services.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { dropFileTenants, severityModelBytes, uniqueTenant } from '../workers/worker-fixture.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let registry: ModelRegistry;
let queue: TrainingQueue;
const tenant = uniqueTenant();

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('cli-models', '-'), clickhouseDatabase: uniqueName('hush_cli_models'), metricsPort: 0, logLevel: 'silent' });
  clickhouse = await openDatabase(config);
  redis = createRedis(redisUrl);
  registry = new ModelRegistry(clickhouse, redis);
  queue = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  for (const [family, auc] of [['gbdt', 0.9], ['mlp', 0.85]] as const) {
    await registry.register({
      tenant,
      kind: 'noise',
      family,
      onnx: severityModelBytes(),
      featureSchemaVersion: FEATURE_SCHEMA_VERSION,
      nFeatures: FEATURE_COUNT,
      metrics: { holdout: { rows: 100, actionable: 10, auc, noiseReduction: 0.6, fnr: 0.01, threshold: 0.5 } },
      trainingWindow: { start: Date.UTC(2025, 0, 1), end: Date.UTC(2025, 0, 8) },
      datasetHash: 'c'.repeat(64),
      referenceProfile: {},
    });
  }
  // Promoted by an evaluation, with the thresholds it was certified at.
  await registry.promote(tenant, 'noise', 'noise-v1-gbdt', 'first model', { thresholds: { tenant: { threshold: 0.3 }, services: { checkout: { threshold: 0.4, reason: 'optimised' } } } });
});

afterAll(async () => {
  await queue?.close();
  await obliterateAll(redis, config.queuePrefix);
  await dropFileTenants(redis);
  redis?.disconnect();
  await clickhouse?.close();
  await dropDatabase(clickHouseOptionsFromConfig(config));
});

/** Runs `node bin/hush.js …args` against this file's Redis, database and queue prefix. */
function hush(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = hushEnvironment({ redisUrl: config.redisUrl, clickhouseUrl: config.clickhouseUrl, clickhouseDatabase: config.clickhouseDatabase, queuePrefix: config.queuePrefix });
  const child = spawn(process.execPath, ['bin/hush.js', ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

// Each case starts a Node process that loads the whole CLI through tsx: seconds each on a busy 2-core box.
describe('hush models', { timeout: 90_000 }, () => {
  it("prints the tenant's models with their holdout figures, the champion mark and the history", async () => {
    const { code, stdout, stderr } = await hush(['models', '--tenant', tenant]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`tenant ${tenant} · kind noise · champion noise-v1-gbdt`);
    expect(stdout).toMatch(/^ +ID +VERSION +FAMILY +AUC +NOISE RED\. +FNR +CREATED \(UTC\)$/m);
    expect(stdout).toMatch(/^\* +noise-v1-gbdt +1 +gbdt +0\.900 +60\.0% +1\.0% +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
    expect(stdout).toMatch(/^ +noise-v2-mlp +2 +mlp +0\.850 /m);
    expect(stdout.indexOf('noise-v2-mlp')).toBeLessThan(stdout.indexOf('noise-v1-gbdt  ')); // newest first
    expect(stdout).toMatch(/^ {2}\S+Z {2}promote +noise-v1-gbdt {2}first model$/m);
  });

  it('promotes and rolls back, recording the reason, and exits 1 naming a missing model', async () => {
    const promoted = await hush(['models', 'promote', 'noise-v2-mlp', '--tenant', tenant, '--reason', 'better on checkout']);
    expect(promoted.stderr).toBe('');
    // Never evaluated: it serves with no optimised thresholds (none were set yet).
    expect(promoted.stdout.trim().split('\n')).toEqual([
      'champion: noise-v1-gbdt → noise-v2-mlp',
      'thresholds: no evaluated thresholds: unpinned services use HUSH_DEFAULT_THRESHOLD (0 services changed)',
    ]);
    expect(await registry.champion(tenant, 'noise')).toBe('noise-v2-mlp');

    const rolledBack = await hush(['models', 'rollback', '--tenant', tenant]);
    expect(rolledBack.code).toBe(0);
    // The reinstated model serves with the thresholds its promotion recorded.
    expect(rolledBack.stdout.trim().split('\n')).toEqual(['champion: noise-v2-mlp → noise-v1-gbdt', 'thresholds: the thresholds of its promotion (2 services changed)']);
    expect(await redis.hgetall(`hush:{${tenant}}:thresholds`)).toEqual({ '': '0.3', checkout: '0.4' });
    const history = await registry.history(tenant, 'noise');
    expect(history.slice(-2).map((e) => [e.action, e.reason])).toEqual([
      ['promote', 'better on checkout'],
      ['rollback', 'rolled back with hush models rollback'],
    ]);

    const missing = await hush(['models', 'promote', 'noise-v9-gbdt', '--tenant', tenant]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('hush models: HUSH_ERR_NOT_FOUND:');
    expect(missing.stderr).toContain('noise-v9-gbdt');
  });

  it('prints one JSON object with --json, and an empty listing for a tenant without models', async () => {
    const json = await hush(['models', '--tenant', tenant, '--json']);
    const listing = JSON.parse(json.stdout) as { champion: string; models: { modelId: string }[]; history: unknown[] };
    expect(listing.champion).toBe('noise-v1-gbdt');
    expect(listing.models.map((m) => m.modelId)).toEqual(['noise-v2-mlp', 'noise-v1-gbdt']);
    const empty = await hush(['models', '--tenant', uniqueTenant()]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('champion none (cold start');
    expect(empty.stdout).toContain('no models yet; train one with: hush train --tenant');
  });

  it('refuses a missing or malformed tenant and an unknown sub-command with exit code 2', async () => {
    const [noTenant, bad] = await Promise.all([hush(['models']), hush(['models', 'demote', 'x', '--tenant', tenant])]);
    expect(noTenant.code).toBe(2);
    expect(noTenant.stderr).toContain('--tenant T is required');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown sub-command "demote"');
  });
});

describe('hush models canary', { timeout: 90_000 }, () => {
  it("sets the challenger's share from a percentage, records the reason and shows the stage in the listing", async () => {
    const { modelId } = await registry.register({
      tenant,
      kind: 'noise',
      family: 'gbdt',
      onnx: severityModelBytes(),
      featureSchemaVersion: FEATURE_SCHEMA_VERSION,
      nFeatures: FEATURE_COUNT,
      metrics: {},
      trainingWindow: { start: Date.UTC(2025, 0, 8), end: Date.UTC(2025, 0, 15) },
      datasetHash: 'e'.repeat(64),
      referenceProfile: {},
    });
    const set = await hush(['models', 'canary', modelId, '--share', '5', '--tenant', tenant, '--reason', 'first stage']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout.trim()).toBe(`canary of ${modelId}: 0.0% → 5.0% of services`);
    expect(await registry.canary(tenant, 'noise')).toEqual({ modelId, share: 0.05 });
    expect((await registry.history(tenant, 'noise')).at(-1)).toMatchObject({ action: 'canary', reason: 'first stage', evidence: { requestedBy: 'cli', share: 0.05 } });
    expect((await hush(['models', '--tenant', tenant])).stdout).toContain(`challenger ${modelId} · canary: decides 5.0% of services`);
  });

  it('refuses a share outside 0–100 and a missing --share (exit 2), and a model that is not the challenger (exit 1)', async () => {
    const [tooMuch, missing, champion] = await Promise.all([
      hush(['models', 'canary', 'noise-v3-gbdt', '--share', '500', '--tenant', tenant]),
      hush(['models', 'canary', 'noise-v3-gbdt', '--tenant', tenant]),
      hush(['models', 'canary', 'noise-v1-gbdt', '--share', '25', '--tenant', tenant]),
    ]);
    expect(tooMuch.code).toBe(2);
    expect(tooMuch.stderr).toContain('--share must be a percentage of services from 0 to 100');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('canary needs it');
    expect(champion.code).toBe(1);
    expect(champion.stderr).toContain('HUSH_ERR_CONFLICT');
  });
});

describe('hush train', { timeout: 120_000 }, () => {
  it('--no-wait queues one job and prints its id; a second request while it waits gets the same id', async () => {
    const other = uniqueTenant();
    const first = await hush(['train', '--tenant', other, '--family', 'mlp', '--params', '{"epochs": 2}', '--no-wait']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const jobId = /^queued training job (\S+) \(mlp, kind noise\) for tenant /.exec(first.stdout)?.[1];
    expect(jobId).toBeDefined();
    const status = await queue.status(other, jobId as string);
    expect(status).toMatchObject({ state: 'waiting', data: { tenant: other, family: 'mlp', kind: 'noise', params: { epochs: 2 }, requestedBy: 'cli' } });
    const second = await hush(['train', '--tenant', other, '--no-wait', '--json']);
    expect(JSON.parse(second.stdout)).toEqual({ jobId });
  });

  it('refuses bad options naming the flag with exit code 2, before queueing anything', async () => {
    const [family, params, json, range] = await Promise.all([
      hush(['train', '--tenant', tenant, '--family', 'xgboost', '--no-wait']),
      hush(['train', '--tenant', tenant, '--params', '{"n_estimators": "many"}', '--no-wait']),
      hush(['train', '--tenant', tenant, '--params', '{oops', '--no-wait']),
      hush(['train', '--tenant', tenant, '--params', '{"n_estimators": -5}', '--no-wait']),
    ]);
    expect(family.code).toBe(2);
    expect(family.stderr).toContain('HUSH_ERR_VALIDATION: --family: must be one of gbdt, mlp');
    expect(params.code).toBe(2);
    expect(params.stderr).toContain('--params n_estimators: must be a finite number');
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('--params must be a JSON object of numbers');
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('HUSH_ERR_VALIDATION: params.n_estimators: must be an integer in [1, 10000], got -5');
    expect(await queue.bullQueue.count()).toBe(1); // only the --no-wait job of the test above
  });

  describe('with a training worker', () => {
    let training: RunningRole;
    beforeAll(async () => {
      training = await startTraining({ config, logger: pino({ level: 'silent' }), registry: new Registry() });
    });
    afterAll(async () => {
      await training?.stop();
    });

    it('waits for the job, shows progress, and prints the model id and its holdout metrics', async () => {
      const learner = uniqueTenant();
      await storeHistory(learner, 300);
      const { code, stdout, stderr } = await hush(['train', '--tenant', learner, '--params', '{"n_estimators": 10}']);
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/training job \S+ \[#+\] 100%/);
      expect(stdout).toContain(`trained noise-v1-gbdt (version 1) for tenant ${learner}`);
      expect(stdout).toMatch(/^holdout: \d+ alerts \(\d+ actionable\) · AUC \d\.\d{3} · noise reduction \d+\.\d% · FNR \d+\.\d% at threshold 0\.5$/m);
      expect((await registry.list(learner, 'noise')).map((m) => m.modelId)).toEqual(['noise-v1-gbdt']);
    });

    it('prints the reason and exits 1 when the job fails', async () => {
      const { code, stderr } = await hush(['train', '--tenant', uniqueTenant()]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/training job \S+ failed: .*labelled alerts/);
    });
  });
});

/** `n` scored alerts one minute apart with outcomes: feature 0 set makes an alert mostly actionable. */
async function storeHistory(owner: string, n: number): Promise<void> {
  const random = prng(11);
  const start = Date.UTC(2025, 2, 1);
  const features = [];
  const decisions = [];
  const outcomes = [];
  for (let i = 0; i < n; i += 1) {
    const eventTime = start + i * 60_000;
    const values = new Float32Array(FEATURE_COUNT);
    const critical = random() < 0.3 ? 1 : 0;
    values[0] = critical;
    for (let f = 1; f < FEATURE_COUNT; f += 1) values[f] = Math.fround(random() * 4);
    const actionable = random() < (critical ? 0.9 : 0.05);
    const alertId = `a-${i}`;
    features.push(featureRow({ tenant: owner, alertId, eventTime, featureSchemaVersion: FEATURE_SCHEMA_VERSION, values }));
    decisions.push(decisionRow({ tenant: owner, alertId, service: 'svc', name: 'Rule', eventTime, modelId: '', modelVersion: 0, score: null, threshold: 0.5, decision: 'notify', shadowModelId: null, shadowScore: null, scoringLatencyUs: 1, e2eLatencyUs: 1, decidedAt: eventTime }));
    const at = eventTime + 3_600_000;
    outcomes.push({ tenant: owner, alert_id: alertId, outcome: actionable ? 'actionable' : 'noise', at: toDateTime(at), at_ms: msPart(at), source: 'human', received_at: toDateTime(at), received_at_ms: msPart(at) });
  }
  await clickhouse.insert({ table: 'features', values: features, format: 'JSONEachRow' });
  await clickhouse.insert({ table: 'decisions', values: decisions, format: 'JSONEachRow' });
  await clickhouse.insert({ table: 'outcomes', values: outcomes, format: 'JSONEachRow' });
}
