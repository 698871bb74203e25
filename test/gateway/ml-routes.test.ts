import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../shared/auth/token-store.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { startGateway } from '../../workers/gateway/main.js';
import type { MlDeps } from '../../workers/gateway/interfaces/ml-deps.js';
import { LazyMlDeps } from '../../workers/gateway/ml/lazy-ml-deps.js';
import { RECERTIFIED_EVIDENCE_KEY } from '../../shared/evaluation/serving-baseline.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';
import { openMlWorld, type MlWorld } from './ml-world.js';
import { alert, createHarness, type Harness } from './harness.js';

const TOKEN_A = 'ml-token-a-0123456789';
const TOKEN_B = 'ml-token-b-0123456789';
const tenantA = uniqueTenant();
const tenantB = uniqueTenant();
const tokens = () => new TokenStore(redis, new Map([[TOKEN_A, tenantA], [TOKEN_B, tenantB]]));

let config: HushConfig;
let redis: Redis;
let ml: MlDeps;
let scoringView: ThresholdStore;
let h: Harness;
let world: MlWorld;

beforeAll(async () => {
  world = await openMlWorld('ml-routes');
  ({ config, redis, ml } = world);
  scoringView = new ThresholdStore({ redis, cacheTtlMs: 0 });
  h = await createHarness({ tokens: tokens(), ml });
  // Two models of tenant A, registered as the training role registers them.
  for (const family of ['gbdt', 'mlp']) {
    await ml.registry.register(severityRegistration(tenantA, { family, metrics: { holdout: { auc: 0.9, noiseReduction: 0.6, fnr: 0.01 } }, datasetHash: 'a'.repeat(64) }));
  }
});

afterAll(async () => {
  await h?.close();
  await world?.close();
});

const as = (token: string) => ({ authorization: `Bearer ${token}` });
const get = (url: string, token = TOKEN_A, app = h.app) => app.inject({ method: 'GET', url, headers: as(token) });
const del = (url: string, token = TOKEN_A) => h.app.inject({ method: 'DELETE', url, headers: as(token) });
const send = (method: 'POST' | 'PUT', url: string, body?: unknown, token = TOKEN_A) =>
  h.app.inject({ method, url, headers: { ...as(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

describe('GET /api/v1/models', () => {
  it("lists the tenant's models newest first with their family, champion and history", async () => {
    const res = await get('/api/v1/models?kind=noise');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.kind).toBe('noise');
    expect(body.models.map((m: { modelId: string }) => m.modelId)).toEqual(['noise-v2-mlp', 'noise-v1-gbdt']);
    expect(body.models[1]).toMatchObject({ version: 1, family: 'gbdt', metrics: { holdout: { auc: 0.9 } } });
    expect(body.history[0]).toMatchObject({ action: 'register', modelId: 'noise-v2-mlp' });
    expect((await get('/api/v1/models')).json().models).toHaveLength(2); // kind defaults to noise
  });

  it('answers an unknown kind with an empty list and a malformed one with 400 naming kind', async () => {
    expect((await get('/api/v1/models?kind=latency')).json()).toEqual({ kind: 'latency', champion: null, models: [], history: [] });
    const bad = await get('/api/v1/models?kind=Not%20A%20Kind');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringMatching(/^kind/) });
  });

  it('needs a token', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/models' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('HUSH_ERR_UNAUTHENTICATED');
  });
});

describe('promotion and rollback', () => {
  it('promotes, rolls back along the promotions and answers 404 when nothing is left to roll back', async () => {
    const first = await send('POST', '/api/v1/models/noise-v1-gbdt/promote', { reason: 'first model' });
    expect(first.statusCode).toBe(200);
    // Never evaluated, at a tenant with no optimised thresholds: nothing to apply, nothing to clear.
    expect(first.json()).toEqual({ previous: null, current: 'noise-v1-gbdt', thresholds: { source: 'none', changes: [] } });
    // No body at all is a promotion with the default reason.
    expect((await send('POST', '/api/v1/models/noise-v2-mlp/promote')).json()).toMatchObject({ previous: 'noise-v1-gbdt', current: 'noise-v2-mlp' });

    const listed = (await get('/api/v1/models')).json();
    expect(listed.champion).toBe('noise-v2-mlp');
    expect(listed.models.filter((m: { champion: boolean }) => m.champion).map((m: { modelId: string }) => m.modelId)).toEqual(['noise-v2-mlp']);
    expect(listed.history.slice(0, 2).map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ['promote', 'promoted through the API'],
      ['promote', 'first model'],
    ]);

    expect((await send('POST', '/api/v1/models/rollback', { reason: 'worse on checkout' })).json()).toMatchObject({ previous: 'noise-v2-mlp', current: 'noise-v1-gbdt' });
    expect((await send('POST', '/api/v1/models/rollback', {})).json()).toMatchObject({ previous: 'noise-v1-gbdt', current: null });
    const none = await send('POST', '/api/v1/models/rollback');
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('HUSH_ERR_NOT_FOUND');
    expect((await get('/api/v1/models')).json().history[0]).toMatchObject({ action: 'rollback', modelId: '', previousModelId: 'noise-v1-gbdt' });
  });

  it('answers 404 for an unknown model and 400 naming the field for a bad body', async () => {
    const missing = await send('POST', '/api/v1/models/noise-v9-gbdt/promote', {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'HUSH_ERR_NOT_FOUND', message: expect.stringContaining('noise-v9-gbdt') });
    const extra = await send('POST', '/api/v1/models/noise-v1-gbdt/promote', { reason: 'x', force: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toMatch(/^force/);
    const reason = await send('POST', '/api/v1/models/rollback', { reason: 42 });
    expect(reason.statusCode).toBe(400);
    expect(reason.json().message).toMatch(/^reason/);
    const kind = await send('POST', '/api/v1/models/rollback', { kind: '../x' });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().message).toMatch(/^kind/);
    const notObject = await send('POST', '/api/v1/models/rollback', [1]);
    expect(notObject.statusCode).toBe(400);
  });

  it("keeps tenants apart: B neither sees nor promotes nor rolls back A's models", async () => {
    await send('POST', '/api/v1/models/noise-v1-gbdt/promote', { reason: 'for the isolation test' });
    expect((await get('/api/v1/models', TOKEN_B)).json()).toEqual({ kind: 'noise', champion: null, models: [], history: [] });
    const promote = await send('POST', '/api/v1/models/noise-v2-mlp/promote', {}, TOKEN_B);
    expect(promote.statusCode).toBe(404);
    expect((await send('POST', '/api/v1/models/rollback', {}, TOKEN_B)).statusCode).toBe(404);
    expect(await ml.registry.champion(tenantA, 'noise')).toBe('noise-v1-gbdt');
    expect(await ml.registry.champion(tenantB, 'noise')).toBeNull();
  });
});

describe('thresholds follow the champion', () => {
  const tenant = uniqueTenant();
  const token = `ml-token-${tenant}`;
  let app: Harness;
  const hash = () => redis.hgetall(`hush:{${tenant}}:thresholds`);
  const post = (url: string, body: unknown) =>
    app.app.inject({ method: 'POST', url, headers: { ...as(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  /** As the evaluation promotes: the optimiser's set goes in, then the pointer, its decisions recorded as evidence. */
  const evaluatedPromotion = async (modelId: string, byService: Record<string, number>) => {
    const { '': tenantWide, ...services } = byService;
    const decisions = { tenant: { threshold: tenantWide, reason: 'optimised' }, services: Object.fromEntries(Object.entries(services).map(([s, threshold]) => [s, { threshold, reason: 'optimised' }])) };
    await ml.thresholds.replaceOptimised(tenant, new Map(Object.entries(byService)), `optimised for ${modelId}`, {});
    await ml.registry.promote(tenant, 'noise', modelId, 'won the evaluation', { challenger: { noiseReduction: 0.4 }, thresholds: decisions });
  };

  beforeAll(async () => {
    app = await createHarness({ tokens: new TokenStore(redis, new Map([[token, tenant]])), ml });
    for (const family of ['gbdt', 'mlp', 'gbdt']) {
      await ml.registry.register(severityRegistration(tenant, { family, datasetHash: 'b'.repeat(64) }));
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('rolls back to the thresholds the reinstated model was evaluated at, dropping the removed model\'s, leaving pinned ones alone', async () => {
    await evaluatedPromotion('noise-v1-gbdt', { '': 0.3, checkout: 0.4 });
    await ml.thresholds.pin(tenant, 'payments', 0.9, 'a person decided');
    await evaluatedPromotion('noise-v2-mlp', { '': 0.02, search: 0.05 });
    expect(await hash()).toEqual({ '': '0.02', search: '0.05', payments: '0.9' });

    const res = await post('/api/v1/models/rollback', { reason: 'worse on search' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      previous: 'noise-v2-mlp',
      current: 'noise-v1-gbdt',
      thresholds: {
        source: 'promotion',
        changes: [
          { service: '', threshold: 0.3, previous: 0.02, pinned: false },
          { service: 'checkout', threshold: 0.4, previous: 0.02, pinned: false },
          { service: 'search', threshold: 0.3, previous: 0.05, pinned: false },
        ],
      },
    });
    expect(await hash()).toEqual({ '': '0.3', checkout: '0.4', payments: '0.9' });
    expect(await scoringView.getThreshold(tenant, 'search')).toBe(0.3);
    expect((await ml.thresholds.history(tenant, 'search')).at(-1)).toMatchObject({ source: 'optimiser', reason: 'rolled back: worse on search', evidence: { modelId: 'noise-v1-gbdt', source: 'promotion', removed: true } });
  });

  it("promotes a model never evaluated with no optimised thresholds (the default serves), not the last model's", async () => {
    expect(await ml.registry.champion(tenant, 'noise')).toBe('noise-v1-gbdt');
    const res = await post('/api/v1/models/noise-v3-gbdt/promote', { reason: 'trust me' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ previous: 'noise-v1-gbdt', current: 'noise-v3-gbdt', thresholds: { source: 'none' } });
    expect(res.json().thresholds.changes.map((c: { service: string }) => c.service)).toEqual(['', 'checkout']);
    expect(await hash()).toEqual({ payments: '0.9' });
    expect(await scoringView.getThreshold(tenant, 'checkout')).toBe(0.5);
    expect(await scoringView.getThreshold(tenant, 'payments')).toBe(0.9);

    // Promoted by hand again later, an evaluated model gets back the thresholds it was evaluated at.
    expect((await post('/api/v1/models/noise-v2-mlp/promote', {})).json().thresholds.source).toBe('promotion');
    expect(await hash()).toEqual({ '': '0.02', search: '0.05', payments: '0.9' });
  });

  it('leaves pointer and thresholds as they were when the thresholds cannot be applied', async () => {
    const before = await hash();
    const failing = { ...ml, thresholds: Object.assign(Object.create(ml.thresholds) as typeof ml.thresholds, { serveModel: async () => Promise.reject(new Error('Redis went away')) }) };
    const broken = await createHarness({ tokens: new TokenStore(redis, new Map([[token, tenant]])), ml: failing });
    try {
      const res = await broken.app.inject({ method: 'POST', url: '/api/v1/models/rollback', headers: { ...as(token), 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(500);
    } finally {
      await broken.close();
    }
    expect(await ml.registry.champion(tenant, 'noise')).toBe('noise-v2-mlp');
    expect(await hash()).toEqual(before);
  });

  it('lists a scheduled re-certification without moving a pointer, and serves its thresholds when the model is promoted again', async () => {
    const { modelId: challenger } = await ml.registry.register(severityRegistration(tenant, { family: 'mlp', datasetHash: 'b'.repeat(64) }));
    // As the evaluation re-certifies the champion on schedule: the re-tuned set goes in, then the event.
    const recertified = { modelId: 'noise-v2-mlp', noiseReduction: 0.35, fnr: 0.001, thresholds: { tenant: { threshold: 0.04, reason: 'optimised' }, services: { search: { threshold: 0.06, reason: 'optimised' } } } };
    await ml.thresholds.replaceOptimised(tenant, new Map([['', 0.04], ['search', 0.06]]), 're-certified noise-v2-mlp', {});
    await ml.registry.recertify(tenant, 'noise', 'noise-v2-mlp', 'weekly re-certification', { [RECERTIFIED_EVIDENCE_KEY]: recertified });

    const listed = (await get('/api/v1/models', token, app.app)).json();
    expect(listed.history[0]).toEqual({ at: expect.stringMatching(/Z$/), action: 'recertify', modelId: 'noise-v2-mlp', previousModelId: '', reason: 'weekly re-certification', evidence: { recertified } });
    expect(listed.champion).toBe('noise-v2-mlp');
    expect(await ml.registry.challenger(tenant, 'noise')).toBe(challenger);

    expect((await post('/api/v1/models/noise-v1-gbdt/promote', {})).json().thresholds.source).toBe('promotion');
    expect((await post('/api/v1/models/noise-v2-mlp/promote', {})).json().thresholds.source).toBe('re-certification');
    expect(await hash()).toEqual({ '': '0.04', search: '0.06', payments: '0.9' });
  });
});

describe('POST /api/v1/ml/retrain', () => {
  it('queues a training and answers the same job id while it waits', async () => {
    const tenant = uniqueTenant();
    const token = `ml-token-${tenant}`;
    const app = await createHarness({ tokens: new TokenStore(redis, new Map([[token, tenant]])), ml });
    try {
      const post = (body?: unknown) => app.app.inject({ method: 'POST', url: '/api/v1/ml/retrain', headers: { ...as(token), 'content-type': 'application/json' }, payload: JSON.stringify(body ?? {}) });
      const first = await post({ family: 'mlp', params: { epochs: 3 } });
      expect(first.statusCode).toBe(202);
      const { jobId } = first.json() as { jobId: string };
      expect(typeof jobId).toBe('string');
      expect((await post()).json()).toEqual({ jobId });

      const status = await get(`/api/v1/ml/retrain/${jobId}`, token, app.app);
      expect(status.statusCode).toBe(200);
      expect(status.json()).toEqual({ jobId, state: 'waiting', progress: null, result: null, failedReason: null });
      expect((await ml.training.status(tenant, jobId))?.data).toMatchObject({ tenant, family: 'mlp', kind: 'noise', params: { epochs: 3 }, requestedBy: 'api' });

      // Another tenant's token learns nothing about the job.
      const foreign = await get(`/api/v1/ml/retrain/${jobId}`, TOKEN_B);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().code).toBe('HUSH_ERR_NOT_FOUND');
      expect((await get('/api/v1/ml/retrain/999999', token, app.app)).statusCode).toBe(404);
      expect((await get('/api/v1/ml/retrain/a%20b', token, app.app)).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('answers 400 naming the field for a bad request and 403 for another tenant in the body', async () => {
    const family = await send('POST', '/api/v1/ml/retrain', { family: 'xgboost' });
    expect(family.statusCode).toBe(400);
    expect(family.json()).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringMatching(/^family/) });
    const param = await send('POST', '/api/v1/ml/retrain', { params: { n_estimators: 'many' } });
    expect(param.statusCode).toBe(400);
    expect(param.json().message).toMatch(/^params\.n_estimators/);
    // Names and ranges are the family's, checked before anything is queued.
    const range = await send('POST', '/api/v1/ml/retrain', { params: { n_estimators: -5 } });
    expect(range.statusCode).toBe(400);
    expect(range.json()).toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: 'params.n_estimators: must be an integer in [1, 10000], got -5' });
    const unknown = await send('POST', '/api/v1/ml/retrain', { family: 'mlp', params: { n_estimators: 10 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/^params\.n_estimators: unknown mlp parameter/);
    const tenant = await send('POST', '/api/v1/ml/retrain', { tenant: tenantB });
    expect(tenant.statusCode).toBe(403);
    expect(tenant.json().code).toBe('HUSH_ERR_FORBIDDEN_TENANT');
  });
});

describe('per-service thresholds', () => {
  it('pins a threshold that scoring reads and the optimiser leaves alone, records it, and unpins it', async () => {
    const pinned = await send('PUT', '/api/v1/ml/thresholds', { service: 'checkout', threshold: 0.8, reason: 'too noisy at night' });
    expect(pinned.statusCode).toBe(200);
    expect(pinned.json()).toEqual({ service: 'checkout', threshold: 0.8, previous: 0.5, pinned: true });
    expect(await scoringView.getThreshold(tenantA, 'checkout')).toBe(0.8);
    expect(await ml.thresholds.pinnedServices(tenantA)).toEqual(['checkout']);
    expect(await ml.thresholds.replaceOptimised(tenantA, new Map([['checkout', 0.3]]), 'optimiser run', { fnrUpper: 0.009 })).toEqual([]);
    expect(await scoringView.getThreshold(tenantA, 'checkout')).toBe(0.8);

    // Another tenant neither sees nor unpins it.
    expect((await del('/api/v1/ml/thresholds/checkout', TOKEN_B)).statusCode).toBe(404);
    expect(await scoringView.getThreshold(tenantB, 'checkout')).toBe(0.5);

    const unpinned = await del('/api/v1/ml/thresholds/checkout');
    expect(unpinned.statusCode).toBe(200);
    expect(unpinned.json()).toEqual({ service: 'checkout', threshold: 0.5, previous: 0.8, pinned: false });
    expect(await scoringView.getThreshold(tenantA, 'checkout')).toBe(0.5);
    const again = await del('/api/v1/ml/thresholds/checkout');
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('HUSH_ERR_NOT_FOUND');
    expect(await ml.thresholds.replaceOptimised(tenantA, new Map([['checkout', 0.3]]), 'optimiser run', { fnrUpper: 0.009 })).toEqual([{ service: 'checkout', threshold: 0.3, previous: 0.5, pinned: false }]);
    expect(await scoringView.getThreshold(tenantA, 'checkout')).toBe(0.3);

    const history = await ml.thresholds.history(tenantA, 'checkout');
    expect(history.map((e) => [e.source, e.previous, e.threshold, e.reason, e.evidence])).toEqual([
      ['manual', 0.5, 0.8, 'too noisy at night', { pinned: true }],
      ['manual', 0.8, 0.5, 'unpinned through the API', { pinned: false }],
      ['optimiser', 0.5, 0.3, 'optimiser run', { fnrUpper: 0.009 }],
    ]);
  });

  it('takes any service name an alert may carry, URL-encoded in the path', async () => {
    const service = "payments api/v2 'eu'";
    expect((await send('PUT', '/api/v1/ml/thresholds', { service, threshold: 1 })).statusCode).toBe(200);
    expect(await scoringView.getThreshold(tenantA, service)).toBe(1);
    const res = await del(`/api/v1/ml/thresholds/${encodeURIComponent(service)}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ service, previous: 1, pinned: false });
  });

  it('answers 400 naming the field for a threshold outside (0, 1] or a bad service', async () => {
    for (const [body, field] of [
      [{ service: 'checkout', threshold: 0 }, 'threshold'],
      [{ service: 'checkout', threshold: 1.5 }, 'threshold'],
      [{ service: 'checkout', threshold: '0.7' }, 'threshold'],
      [{ service: 'checkout' }, 'threshold'],
      [{ service: '', threshold: 0.7 }, 'service'],
      [{ service: 'bad\u0000name', threshold: 0.7 }, 'service'],
      [{ service: 'x'.repeat(257), threshold: 0.7 }, 'service'],
      [{ threshold: 0.7 }, 'service'],
      [{ service: 'checkout', threshold: 0.7, pinned: false }, 'pinned'],
    ] as const) {
      const res = await send('PUT', '/api/v1/ml/thresholds', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message, JSON.stringify(body)).toMatch(new RegExp(`^${field}`));
    }
    expect((await send('PUT', '/api/v1/ml/thresholds')).statusCode).toBe(400);
    expect((await del(`/api/v1/ml/thresholds/${encodeURIComponent('  ')}`)).statusCode).toBe(400);
    expect(await ml.thresholds.pinnedServices(tenantA)).toEqual([]);
  });
});

describe('without ClickHouse', () => {
  it('keeps ingesting and answers 503 on the ML routes when the gateway has no ML deps', async () => {
    const bare = await createHarness({ tokens: tokens() });
    try {
      const ingest = await bare.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { ...as(TOKEN_A), 'content-type': 'application/json' }, payload: JSON.stringify(alert()) });
      expect(ingest.statusCode).toBe(202);
      for (const [method, url] of [['GET', '/api/v1/models'], ['POST', '/api/v1/models/rollback'], ['POST', '/api/v1/ml/retrain'], ['GET', '/api/v1/ml/retrain/1'], ['DELETE', '/api/v1/ml/thresholds/checkout']] as const) {
        const res = await bare.app.inject({ method, url, headers: as(TOKEN_A) });
        expect(res.statusCode, `${method} ${url}`).toBe(503);
        expect(res.json().code).toBe('HUSH_ERR_UNAVAILABLE');
      }
    } finally {
      await bare.close();
    }
  });

  it('opens ClickHouse lazily: a dead ClickHouse is 503 on ML routes, retried per request, and never blocks ingest', async () => {
    const dead = loadConfig({ ...config, clickhouseUrl: 'http://127.0.0.1:1' });
    const lazy = new LazyMlDeps({ config: dead, redis, logger: pino({ level: 'silent' }) });
    const app = await createHarness({ tokens: tokens(), ml: lazy.get });
    try {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const res = await get('/api/v1/models', TOKEN_A, app.app);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toMatchObject({ code: 'HUSH_ERR_UNAVAILABLE', message: expect.stringContaining('ClickHouse') });
        expect(res.body).not.toContain('127.0.0.1');
      }
      const ingest = await app.app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { ...as(TOKEN_A), 'content-type': 'application/json' }, payload: JSON.stringify(alert()) });
      expect(ingest.statusCode).toBe(202);
    } finally {
      await app.close();
      await lazy.close();
    }
  });

  it('opens the real registry on the first ML request when ClickHouse is up', async () => {
    const lazy = new LazyMlDeps({ config, redis, logger: pino({ level: 'silent' }) });
    const app = await createHarness({ tokens: tokens(), ml: lazy.get });
    try {
      const res = await get('/api/v1/models', TOKEN_A, app.app);
      expect(res.statusCode).toBe(200);
      expect(res.json().models).toHaveLength(2);
    } finally {
      await app.close();
      await lazy.close();
      await lazy.close(); // safe twice
    }
  });

  it('starts the gateway role with ClickHouse down and serves ingest', async () => {
    const dead = loadConfig({ ...config, clickhouseUrl: 'http://127.0.0.1:1', gatewayHost: '127.0.0.1', gatewayPort: 0, tokens: new Map([[TOKEN_A, tenantA]]) });
    const lines: { msg?: string; address?: { port: number }[] }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as (typeof lines)[number]) });
    const role = await startGateway({ config: dead, logger, registry: new Registry() });
    try {
      const port = lines.find((l) => l.msg === 'gateway listening')?.address?.[0]?.port ?? 0;
      const base = `http://127.0.0.1:${port}`;
      const headers = { ...as(TOKEN_A), 'content-type': 'application/json' };
      const ingest = await fetch(`${base}/api/v1/alerts`, { method: 'POST', headers, body: JSON.stringify(alert()) });
      expect(ingest.status).toBe(202);
      const models = await fetch(`${base}/api/v1/models`, { headers });
      expect(models.status).toBe(503);
    } finally {
      await role.stop();
    }
  });
});

describe('OpenAPI', () => {
  it('documents every ML route with its success and error statuses', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const operations: [string, string, string[]][] = [
      ['/api/v1/models', 'get', ['200', '400', '401', '500', '503']],
      ['/api/v1/models/{id}/promote', 'post', ['200', '400', '401', '404', '409', '413', '415', '500', '503']],
      ['/api/v1/models/rollback', 'post', ['200', '400', '401', '404', '409', '413', '415', '500', '503']],
      ['/api/v1/ml/retrain', 'post', ['202', '400', '401', '403', '413', '415', '500', '503']],
      ['/api/v1/ml/retrain/{jobId}', 'get', ['200', '400', '401', '404', '500', '503']],
      ['/api/v1/ml/thresholds', 'put', ['200', '400', '401', '413', '415', '500', '503']],
      ['/api/v1/ml/thresholds/{service}', 'delete', ['200', '400', '401', '404', '500', '503']],
    ];
    for (const [path, method, statuses] of operations) {
      expect(Object.keys(doc.paths[path][method].responses).sort(), `${method} ${path}`).toEqual(statuses.sort());
    }
    expect(doc.components.schemas.ModelsResponse.properties.models.type).toBe('array');
    expect(doc.components.schemas.ThresholdBody.required).toEqual(['service', 'threshold']);
    expect(doc.components.schemas.ChampionChange.required).toEqual(['previous', 'current', 'thresholds']);
    expect(doc.components.schemas.ModelEvent.properties.action.anyOf.map((s: { const: string }) => s.const)).toContain('recertify');
  });
});
