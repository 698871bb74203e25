import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS_CHANGED_CHANNEL } from '../../shared/models/champion-store.js';
import type { ModelEvent } from '../../shared/models/model-registry.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import { openMlWorld, type MlWorld } from '../gateway/ml-world.js';
import { serviceUrls } from '../helpers/services.js';
import { uniqueTenant } from '../workers/worker-fixture.js';

let world: MlWorld;
let registry: ThresholdRegistry;
let scoringView: ThresholdStore;
/** Every `insert` the registry makes, by table. */
const inserts: string[] = [];

beforeAll(async () => {
  world = await openMlWorld('threshold-registry');
  const { redis, clickhouse } = world;
  const counting = new Proxy(clickhouse, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (property === 'insert') return (params: { table: string }) => (inserts.push(params.table), target.insert(params as Parameters<ClickHouseClient['insert']>[0]));
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  registry = new ThresholdRegistry({ redis, clickhouse: counting, thresholds: new ThresholdStore({ redis, cacheTtlMs: 0 }) });
  scoringView = new ThresholdStore({ redis, cacheTtlMs: 0 });
});

afterAll(async () => {
  scoringView?.close();
  await world?.close();
});

const hash = (tenant: string) => world.redis.hgetall(`hush:{${tenant}}:thresholds`);

/** Change notices for `tenant` published while `act` runs (a marker after it proves every one arrived). */
async function noticesDuring(tenant: string, act: () => Promise<unknown>): Promise<number> {
  const subscriber = createRedis(serviceUrls().redisUrl);
  try {
    let notices = 0;
    let markerSeen: () => void = () => undefined;
    const marker = new Promise<void>((resolve) => (markerSeen = resolve));
    subscriber.on('message', (_channel: string, message: string) => {
      if (message === tenant) notices += 1;
      if (message === `${tenant}-marker`) markerSeen();
    });
    await subscriber.subscribe(MODELS_CHANGED_CHANNEL);
    await act();
    await world.redis.publish(MODELS_CHANGED_CHANNEL, `${tenant}-marker`);
    await marker;
    return notices;
  } finally {
    subscriber.disconnect();
  }
}

describe('ThresholdRegistry.replaceOptimised', () => {
  it('makes the new set the whole optimised set: stale services are dropped, pinned ones untouched, one notice', async () => {
    const tenant = uniqueTenant();
    await registry.replaceOptimised(tenant, new Map([['', 0.3], ['checkout', 0.4], ['search', 0.2]]), 'model A', {});
    await registry.pin(tenant, 'payments', 0.9, 'a person decided');

    const notices = await noticesDuring(tenant, () =>
      registry.replaceOptimised(tenant, new Map([['', 0.05], ['api', 0.07], ['payments', 0.01]]), 'model B', { modelId: 'B' }),
    );
    expect(notices).toBe(1);
    expect(await hash(tenant)).toEqual({ '': '0.05', api: '0.07', payments: '0.9' });
    // A service model A had tuned falls back to model B's tenant-wide threshold, not model A's own.
    expect(await scoringView.getThreshold(tenant, 'checkout')).toBe(0.05);
    expect(await scoringView.getThreshold(tenant, 'payments')).toBe(0.9);
    expect(await registry.pinnedServices(tenant)).toEqual(['payments']);
  });

  it('records every changed service, set or removed, with the threshold before and after, in one insert', async () => {
    const tenant = uniqueTenant();
    await registry.replaceOptimised(tenant, new Map([['', 0.3], ['checkout', 0.4], ['search', 0.2]]), 'model A', {});
    inserts.length = 0;
    const changes = await registry.replaceOptimised(tenant, new Map([['', 0.05], ['search', 0.2], ['api', 0.07]]), 'optimised for B', { modelId: 'B' });
    expect(inserts).toEqual(['threshold_changes']);
    // `search` kept its threshold: no change, no record.
    expect(changes).toEqual([
      { service: '', threshold: 0.05, previous: 0.3, pinned: false },
      { service: 'api', threshold: 0.07, previous: 0.3, pinned: false },
      { service: 'checkout', threshold: 0.05, previous: 0.4, pinned: false },
    ]);
    const history = (await registry.history(tenant)).filter((e) => e.reason === 'optimised for B');
    expect(history.map((e) => [e.service, e.previous, e.threshold, e.source, e.evidence]).sort()).toEqual([
      ['', 0.3, 0.05, 'optimiser', { modelId: 'B' }],
      ['api', 0.3, 0.07, 'optimiser', { modelId: 'B' }],
      ['checkout', 0.4, 0.05, 'optimiser', { modelId: 'B', removed: true }],
    ]);
  });

  it('falls back to the default when the tenant-wide threshold goes too, and changes, records and announces nothing when the set is unchanged', async () => {
    const tenant = uniqueTenant();
    expect(await registry.replaceOptimised(tenant, new Map([['', 0.3], ['checkout', 0.4]]), 'model A', {})).toEqual([
      { service: '', threshold: 0.3, previous: 0.5, pinned: false },
      { service: 'checkout', threshold: 0.4, previous: 0.5, pinned: false },
    ]);
    inserts.length = 0;
    expect(await noticesDuring(tenant, async () => expect(await registry.replaceOptimised(tenant, new Map([['', 0.3], ['checkout', 0.4]]), 'again', {})).toEqual([]))).toBe(0);
    expect(inserts).toEqual([]);
    expect(await registry.replaceOptimised(tenant, new Map(), 'cleared', {})).toEqual([
      { service: '', threshold: 0.5, previous: 0.3, pinned: false },
      { service: 'checkout', threshold: 0.5, previous: 0.4, pinned: false },
    ]);
    expect(await hash(tenant)).toEqual({});
  });

  it('refuses a threshold outside [0, 1], naming the service, and changes nothing', async () => {
    const tenant = uniqueTenant();
    await registry.replaceOptimised(tenant, new Map([['', 0.3]]), 'model A', {});
    await expect(registry.replaceOptimised(tenant, new Map([['', 0.1], ['api', 1.5]]), 'bad', {})).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining('"api"') });
    await expect(registry.replaceOptimised(tenant, new Map([['api', Number.NaN]]), 'bad', {})).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION' });
    expect(await hash(tenant)).toEqual({ '': '0.3' });
  });

  it('with a guard, writes only while the key holds the value (absent for null), else changes, records and announces nothing', async () => {
    const tenant = uniqueTenant();
    const pointer = world.ml.registry.championKey(tenant, 'noise');
    expect(await registry.replaceOptimised(tenant, new Map([['', 0.3]]), 'cold start', {}, { key: pointer, value: null })).toHaveLength(1);
    await world.redis.set(pointer, 'model-B');
    const before = inserts.length;
    const notices = await noticesDuring(tenant, async () => {
      await expect(registry.replaceOptimised(tenant, new Map([['', 0.1]]), 'optimised for model-A', {}, { key: pointer, value: 'model-A' })).rejects.toMatchObject({
        code: 'HUSH_ERR_CONFLICT',
        message: expect.stringContaining('holds "model-B", not "model-A"'),
      });
      await expect(registry.replaceOptimised(tenant, new Map([['', 0.1]]), 'cold start', {}, { key: pointer, value: null })).rejects.toMatchObject({ code: 'HUSH_ERR_CONFLICT' });
    });
    expect([notices, inserts.length - before, await hash(tenant)]).toEqual([0, 0, { '': '0.3' }]);
    expect(await registry.replaceOptimised(tenant, new Map([['', 0.1]]), 'optimised for model-B', {}, { key: pointer, value: 'model-B' })).toHaveLength(1);
    expect(await hash(tenant)).toEqual({ '': '0.1' });
  });

  it('with a guard and next, moves the key with the thresholds in one script and one notice, or changes neither', async () => {
    const tenant = uniqueTenant();
    const pointer = world.ml.registry.championKey(tenant, 'noise');
    await world.redis.set(pointer, 'model-A');
    await registry.replaceOptimised(tenant, new Map([['', 0.3]]), 'optimised for model-A', {});
    const notices = await noticesDuring(tenant, async () => {
      expect(await registry.replaceOptimised(tenant, new Map([['', 0.1]]), 'optimised for model-B', {}, { key: pointer, value: 'model-A', next: 'model-B' })).toHaveLength(1);
    });
    expect([notices, await world.redis.get(pointer), await hash(tenant)]).toEqual([1, 'model-B', { '': '0.1' }]);

    const before = inserts.length;
    const refused = await noticesDuring(tenant, async () => {
      await expect(registry.replaceOptimised(tenant, new Map([['', 0.2]]), 'optimised for model-C', {}, { key: pointer, value: 'model-A', next: 'model-C' })).rejects.toMatchObject({
        code: 'HUSH_ERR_CONFLICT',
        message: expect.stringContaining(`champion not moved to "model-C", thresholds of tenant ${tenant} not replaced: ${pointer} holds "model-B", not "model-A"; another promotion or rollback landed first`),
      });
    });
    expect([refused, inserts.length - before, await world.redis.get(pointer), await hash(tenant)]).toEqual([0, 0, 'model-B', { '': '0.1' }]);

    // A pointer that moves with thresholds unchanged is still announced; null removes it (cold start).
    const cleared = await noticesDuring(tenant, async () => {
      expect(await registry.replaceOptimised(tenant, new Map([['', 0.1]]), 'rolled back to cold start', {}, { key: pointer, value: 'model-B', next: null })).toEqual([]);
    });
    expect([cleared, await world.redis.exists(pointer), await hash(tenant)]).toEqual([1, 0, { '': '0.1' }]);
  });
});

describe('ThresholdRegistry.serveModel', () => {
  const at = '2026-01-01T00:00:00.000Z';
  const promoted = (modelId: string, tenantWide: number, services: Record<string, number>): ModelEvent => ({
    at,
    action: 'promote',
    modelId,
    previousModelId: '',
    reason: 'won',
    evidence: { thresholds: { tenant: { threshold: tenantWide, reason: 'optimised' }, services: Object.fromEntries(Object.entries(services).map(([s, threshold]) => [s, { threshold, reason: 'optimised' }])) } },
  });

  it("serves the thresholds the history records for the model, and clears the optimised ones for a model it holds none for", async () => {
    const tenant = uniqueTenant();
    const history = [promoted('m1', 0.3, { checkout: 0.4 }), promoted('m2', 0.02, { search: 0.05 })];
    await registry.pin(tenant, 'payments', 0.9, 'a person decided');
    expect(await registry.serveModel(tenant, 'm2', history, 'serving m2')).toMatchObject({ source: 'promotion', changes: [{ service: '' }, { service: 'search' }] });
    expect(await hash(tenant)).toEqual({ '': '0.02', search: '0.05', payments: '0.9' });

    expect((await registry.serveModel(tenant, 'm1', history, 'serving m1')).source).toBe('promotion');
    expect(await hash(tenant)).toEqual({ '': '0.3', checkout: '0.4', payments: '0.9' });
    expect((await registry.history(tenant, 'checkout')).at(-1)).toMatchObject({ threshold: 0.4, previous: 0.02, reason: 'serving m1', evidence: { modelId: 'm1', source: 'promotion', evaluatedAt: at } });

    for (const modelId of ['m3', null]) {
      await registry.serveModel(tenant, 'm1', history, 'serving m1');
      expect((await registry.serveModel(tenant, modelId, history, 'never evaluated')).source).toBe('none');
      expect(await hash(tenant)).toEqual({ payments: '0.9' });
      expect(await scoringView.getThreshold(tenant, 'checkout')).toBe(0.5);
    }
  });
});
