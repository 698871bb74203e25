import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChampionStore, MODELS_CHANGED_CHANNEL } from '../../shared/models/champion-store.js';
import { ModelCache, type ArtifactSource, type ModelCacheOptions } from '../../shared/models/model-cache.js';
import type { OnnxModelMeta } from '../../shared/onnx/onnx-model.js';
import { buildLogisticModel } from '../helpers/onnx-models.js';
import { connectRedis, dropTenant, uniqueTenant } from '../scoring/redis-fixture.js';

const N = 3;
const EXPECTED = { featureSchemaVersion: 1, nFeatures: N };
const ROW = Float32Array.from([1, 1, 1]);

/** Artifacts in memory: model `id` scores sigmoid(bias) for a zero-weight row, so ids are easy to tell apart. */
class MemoryArtifacts implements ArtifactSource {
  readonly calls: string[] = [];
  delayMs = 0;
  private readonly models = new Map<string, { bytes: Uint8Array; meta: OnnxModelMeta }>();

  add(id: string, bias: number, overrides: Partial<OnnxModelMeta> = {}): void {
    this.models.set(id, { bytes: buildLogisticModel([0, 0, 0], bias), meta: { id, version: 1, featureSchemaVersion: 1, nFeatures: N, ...overrides } });
  }

  async load(tenant: string, modelId: string): Promise<{ bytes: Uint8Array; meta: OnnxModelMeta } | null> {
    this.calls.push(`${tenant}/${modelId}`);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.models.get(modelId) ?? null;
  }
}

const quiet = { warn: () => undefined, info: () => undefined };
let admin: Redis;
let champions: ChampionStore;
const tenants: string[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  admin = connectRedis();
  champions = new ChampionStore({ redis: admin });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(tenants.splice(0).map((tenant) => dropTenant(admin, tenant)));
});

afterAll(async () => {
  await admin.quit();
});

function newTenant(): string {
  const tenant = uniqueTenant();
  tenants.push(tenant);
  return tenant;
}

/** A cache on its own Redis connection, as on another scoring replica. */
async function replica(artifacts: ArtifactSource, logger = quiet, options: Pick<ModelCacheOptions, 'keepPrevious'> = {}): Promise<ModelCache> {
  const redis = connectRedis();
  const cache = new ModelCache({ redis, artifacts, expected: EXPECTED, logger, releaseDelayMs: 50, ...options });
  closers.push(async () => {
    await cache.close();
    await redis.quit();
  });
  await cache.ready();
  return cache;
}

async function scoreOf(cache: ModelCache, tenant: string): Promise<number | null> {
  const model = await cache.currentModel(tenant);
  return model === null ? null : ((await model.score([ROW]))[0] as number);
}

describe('ChampionStore', () => {
  it('sets and reads the champion pointer under the tenant hash tag, announcing the change', async () => {
    const tenant = newTenant();
    const listener = connectRedis();
    const messages: string[] = [];
    listener.on('message', (_channel: string, message: string) => messages.push(message));
    await listener.subscribe(MODELS_CHANGED_CHANNEL);
    expect(await champions.getChampion(tenant, 'noise')).toBeNull();
    await champions.setChampion(tenant, 'noise', 'model-7');
    expect(await champions.getChampion(tenant, 'noise')).toBe('model-7');
    expect(await admin.get(`hush:{${tenant}}:champion:noise`)).toBe('model-7');
    await waitFor(() => messages.includes(tenant), 1_000);
    await listener.quit();
  });

  it('rejects tenants and kinds that are unsafe in keys', async () => {
    await expect(champions.setChampion('Bad}', 'noise', 'm')).rejects.toThrow(/tenant/);
    await expect(champions.setChampion('ok', 'a:b', 'm')).rejects.toThrow(/model kind/);
  });
});

describe('ModelCache', () => {
  it('returns null for a tenant without a champion (cold start)', async () => {
    const cache = await replica(new MemoryArtifacts());
    expect(await cache.currentModel(newTenant())).toBeNull();
  });

  it('serves the champion and reloads nothing while it stays the champion', async () => {
    const tenant = newTenant();
    const artifacts = new MemoryArtifacts();
    artifacts.add('m1', 1);
    await champions.setChampion(tenant, 'noise', 'm1');
    const cache = await replica(artifacts);
    expect(await scoreOf(cache, tenant)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(await scoreOf(cache, tenant)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(artifacts.calls).toEqual([`${tenant}/m1`]);
  });

  it('shares one in-flight load among concurrent callers', async () => {
    const tenant = newTenant();
    const artifacts = new MemoryArtifacts();
    artifacts.add('m1', 1);
    artifacts.delayMs = 50;
    await champions.setChampion(tenant, 'noise', 'm1');
    const cache = await replica(artifacts);
    const models = await Promise.all(Array.from({ length: 25 }, () => cache.currentModel(tenant)));
    expect(new Set(models).size).toBe(1);
    expect(models[0]?.meta.id).toBe('m1');
    expect(artifacts.calls).toHaveLength(1);
  });

  it('sees a promotion and a rollback made elsewhere within a second, on every replica', async () => {
    const tenant = newTenant();
    const artifacts = new MemoryArtifacts();
    artifacts.add('m1', 1);
    artifacts.add('m2', -2);
    await champions.setChampion(tenant, 'noise', 'm1');
    const a = await replica(artifacts);
    const b = await replica(artifacts);
    expect((await a.currentModel(tenant))?.meta.id).toBe('m1');
    expect((await b.currentModel(tenant))?.meta.id).toBe('m1');

    const promotedAt = performance.now();
    await champions.setChampion(tenant, 'noise', 'm2');
    await waitFor(async () => (await b.currentModel(tenant))?.meta.id === 'm2', 1_000);
    const promotionMs = performance.now() - promotedAt;
    await waitFor(async () => (await a.currentModel(tenant))?.meta.id === 'm2', 1_000);
    expect(await scoreOf(b, tenant)).toBeCloseTo(1 / (1 + Math.exp(2)), 6);

    await champions.setChampion(tenant, 'noise', 'm1'); // rollback = flip back
    await waitFor(async () => (await b.currentModel(tenant))?.meta.id === 'm1', 1_000);
    expect(promotionMs).toBeLessThan(1_000);
  });

  it('flips back to the model it replaced without loading its artifact again (a rollback), unless told not to keep it', { timeout: 90_000 }, async () => {
    const tenant = newTenant();
    const [kept, forgotten] = [new MemoryArtifacts(), new MemoryArtifacts()];
    for (const artifacts of [kept, forgotten]) {
      artifacts.add('m1', 1);
      artifacts.add('m2', -2);
    }
    await champions.setChampion(tenant, 'noise', 'm1');
    const keeping = await replica(kept);
    const forgetting = await replica(forgotten, quiet, { keepPrevious: false });
    for (const cache of [keeping, forgetting]) expect((await cache.currentModel(tenant))?.meta.id).toBe('m1');
    for (const id of ['m2', 'm1']) {
      await champions.setChampion(tenant, 'noise', id);
      for (const cache of [keeping, forgetting]) await waitFor(async () => (await cache.currentModel(tenant))?.meta.id === id, 1_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // past releaseDelayMs: a released model could not score
    for (const cache of [keeping, forgetting]) expect(await scoreOf(cache, tenant)).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect(kept.calls.filter((call) => call === `${tenant}/m1`)).toHaveLength(1);
    expect(forgotten.calls.filter((call) => call === `${tenant}/m1`).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps serving the previous model when the new champion cannot be loaded, and says why', async () => {
    const tenant = newTenant();
    const artifacts = new MemoryArtifacts();
    artifacts.add('m1', 1);
    artifacts.add('wrong-schema', 0, { featureSchemaVersion: 9 });
    await champions.setChampion(tenant, 'noise', 'm1');
    const warnings: string[] = [];
    const cache = await replica(artifacts, { warn: (fields: { err: Error }) => warnings.push(fields.err.message), info: () => undefined } as never);
    expect((await cache.currentModel(tenant))?.meta.id).toBe('m1');

    await champions.setChampion(tenant, 'noise', 'missing');
    await waitFor(() => warnings.length >= 1, 1_000);
    expect((await cache.currentModel(tenant))?.meta.id).toBe('m1');
    expect(warnings[0]).toMatch(/champion missing of tenant .* has no artifact/);

    await champions.setChampion(tenant, 'noise', 'wrong-schema');
    await waitFor(() => warnings.length >= 2, 1_000);
    expect(warnings[1]).toMatch(/feature schema version 9/);
    expect((await cache.currentModel(tenant))?.meta.id).toBe('m1');
  });

  it('goes back to cold start when the champion is cleared', async () => {
    const tenant = newTenant();
    const artifacts = new MemoryArtifacts();
    artifacts.add('m1', 1);
    await champions.setChampion(tenant, 'noise', 'm1');
    const cache = await replica(artifacts);
    expect(await cache.currentModel(tenant)).not.toBeNull();
    await champions.clearChampion(tenant, 'noise');
    await waitFor(async () => (await cache.currentModel(tenant)) === null, 1_000);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
