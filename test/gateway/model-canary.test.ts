import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../shared/auth/token-store.js';
import type { MlDeps } from '../../workers/gateway/interfaces/ml-deps.js';
import { severityRegistration, uniqueTenant } from '../workers/worker-fixture.js';
import { openMlWorld, type MlWorld } from './ml-world.js';
import { createHarness, type Harness } from './harness.js';

const TOKEN_A = 'canary-token-a-0123456789';
const TOKEN_B = 'canary-token-b-0123456789';
const tenantA = uniqueTenant();
const tenantB = uniqueTenant();

let redis: Redis;
let ml: MlDeps;
let h: Harness;
let world: MlWorld;

beforeAll(async () => {
  world = await openMlWorld('canary-route');
  ({ redis, ml } = world);
  h = await createHarness({ tokens: new TokenStore(redis, new Map([[TOKEN_A, tenantA], [TOKEN_B, tenantB]])), ml });
  // noise-v1-gbdt becomes the champion, noise-v2-gbdt stays the challenger.
  for (let i = 0; i < 2; i += 1) {
    await ml.registry.register(severityRegistration(tenantA));
    if (i === 0) await ml.registry.promote(tenantA, 'noise', 'noise-v1-gbdt', 'champion for the canary tests');
  }
});

afterAll(async () => {
  await h?.close();
  await world?.close();
});

const canary = (modelId: string, body: unknown, token = TOKEN_A) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/models/${modelId}/canary`,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

describe('POST /api/v1/models/{id}/canary', () => {
  it("sets the challenger's stage, answers the share before and after, and records it with its reason", async () => {
    const first = await canary('noise-v2-gbdt', { share: 0.05 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ modelId: 'noise-v2-gbdt', previousShare: 0, share: 0.05 });
    expect((await canary('noise-v2-gbdt', { share: 0.25, reason: 'no FNR change at 5%' })).json()).toEqual({ modelId: 'noise-v2-gbdt', previousShare: 0.05, share: 0.25 });
    expect(await ml.registry.canary(tenantA, 'noise')).toEqual({ modelId: 'noise-v2-gbdt', share: 0.25 });
    const history = (await h.app.inject({ method: 'GET', url: '/api/v1/models', headers: { authorization: `Bearer ${TOKEN_A}` } })).json().history;
    expect(history.slice(0, 2)).toEqual([
      expect.objectContaining({ action: 'canary', modelId: 'noise-v2-gbdt', reason: 'no FNR change at 5%', evidence: { requestedBy: 'api', share: 0.25, previousShare: 0.05 } }),
      expect.objectContaining({ action: 'canary', reason: 'canary stage set through the API' }),
    ]);
    expect((await canary('noise-v2-gbdt', { share: 0 })).json()).toEqual({ modelId: 'noise-v2-gbdt', previousShare: 0.25, share: 0 });
    expect(await ml.registry.canary(tenantA, 'noise')).toBeNull();
  });

  it('answers 409 for a model that is not the challenger and 404 for an unknown one or another tenant\'s', async () => {
    const champion = await canary('noise-v1-gbdt', { share: 0.05 });
    expect(champion.statusCode).toBe(409);
    expect(champion.json()).toEqual({ code: 'HUSH_ERR_CONFLICT', message: expect.stringContaining('it is noise-v2-gbdt') });
    expect((await canary('noise-v9-gbdt', { share: 0.05 })).json().code).toBe('HUSH_ERR_NOT_FOUND');
    expect((await canary('noise-v2-gbdt', { share: 0.05 }, TOKEN_B)).statusCode).toBe(404);
    expect(await ml.registry.canary(tenantA, 'noise')).toBeNull();
  });

  it('answers 400 naming the field for a missing or out-of-range share, an unknown field or no body', async () => {
    for (const body of [{}, { share: 5 }, { share: -0.05 }, { share: '0.05' }, undefined]) {
      const res = await canary('noise-v2-gbdt', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('HUSH_ERR_VALIDATION');
    }
    expect((await canary('noise-v2-gbdt', { share: 5 })).json().message).toMatch(/^share must be a number with 0 ≤ share ≤ 1/);
    expect((await canary('noise-v2-gbdt', { share: 0.05, force: true })).json().message).toMatch(/^force/);
  });

  it('is documented in the OpenAPI document with its statuses', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(Object.keys(doc.paths['/api/v1/models/{id}/canary'].post.responses).sort()).toEqual(['200', '400', '401', '404', '409', '413', '415', '500', '503']);
    expect(doc.components.schemas.CanaryBody.required).toEqual(['share']);
  });
});
