import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import type { DecisionRow } from '../../shared/clickhouse/rows.js';
import { CanaryCache } from '../../shared/models/canary-cache.js';
import { canaryPoint } from '../../shared/models/canary-membership.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { TenantChangeFeed } from '../../shared/models/tenant-change-feed.js';
import type { RunningRole } from '../../workers/role.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from '../../workers/scoring/feature-schema.js';
import { startScoring } from '../../workers/scoring/main.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { severityModelBytes, sigmoid, tearDownRoles, uniqueTenant } from '../workers/worker-fixture.js';
import { connectRedis } from './redis-fixture.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let scoring: RunningRole;
let registry: ModelRegistry;
let alertSequence = 0;

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('canary', '-'), clickhouseDatabase: uniqueName('hush_canary'), metricsPort: 0, logLevel: 'silent' });
  scoring = await startScoring({ config, logger: pino({ level: 'silent' }), registry: new Registry() });
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
  registry = new ModelRegistry(clickhouse, redis);
});

afterAll(async () => {
  await tearDownRoles([scoring], config, redis, clickhouse);
});

/** Registers a severity model (info scores sigmoid(−4·scale)); it becomes the challenger. */
async function register(tenant: string, scale: number): Promise<string> {
  const { modelId } = await registry.register({
    tenant,
    kind: 'noise',
    family: 'gbdt',
    onnx: severityModelBytes(scale),
    featureSchemaVersion: FEATURE_SCHEMA_VERSION,
    nFeatures: FEATURE_COUNT,
    metrics: {},
    trainingWindow: { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 1, 1) },
    datasetHash: `scale-${scale}`,
    referenceProfile: {},
  });
  return modelId;
}

/** A tenant with a promoted champion (scale 1) and a challenger (scale 2). */
async function tenantWithChallenger(): Promise<{ tenant: string; champion: string; challenger: string }> {
  const tenant = uniqueTenant();
  const champion = await register(tenant, 1);
  await registry.promote(tenant, 'noise', champion, 'test champion');
  return { tenant, champion, challenger: await register(tenant, 2) };
}

/** The first `service-<i>` whose canary point lies in [from, to). */
function serviceAt(tenant: string, from: number, to: number): string {
  for (let i = 0; ; i += 1) {
    const point = canaryPoint(tenant, `service-${i}`);
    if (point >= from && point < to) return `service-${i}`;
  }
}

/** Pushes one info alert per service and waits for their decisions, by service. */
async function decide(tenant: string, services: readonly string[]): Promise<Map<string, DecisionRow>> {
  const producer = new AlertProducer({ tenant, redis, prefix: config.queuePrefix });
  const ids = services.map((service) => {
    alertSequence += 1;
    return { service, id: `a-${alertSequence}` };
  });
  await producer.sendBulk(
    ids.map(({ service, id }, i) => ({ id, source: 'prometheus', name: 'DiskFull', service, severity: 'info', status: 'firing', startsAt: new Date(Date.UTC(2024, 4, 1) + alertSequence * 1000 + i).toISOString() })),
  );
  await producer.close();
  let rows: DecisionRow[] = [];
  await waitFor(
    async () => {
      rows = await decisionsFor(clickhouse, tenant, ids.map((a) => a.id));
      return rows.length === ids.length;
    },
    { timeoutMs: 20_000, what: () => `decisions for ${ids.map((a) => a.id).join(', ')} (have ${rows.length})` },
  );
  const byId = new Map(rows.map((row) => [row.alert_id, row]));
  return new Map(ids.map(({ service, id }) => [service, byId.get(id) as DecisionRow]));
}

describe('canary', () => {
  it('lets the challenger decide the services within the share, the champion scoring them in shadow, and the champion decide the rest', async () => {
    const { tenant, champion, challenger } = await tenantWithChallenger();
    const inside = serviceAt(tenant, 0, 0.05);
    const outside = serviceAt(tenant, 0.5, 1);
    // Scored once before the canary, so the replica has the tenant cached and must hear of the change.
    const before = await decide(tenant, [inside]);
    expect(before.get(inside)).toMatchObject({ model_id: champion, shadow_model_id: challenger });

    expect(await registry.setCanary(tenant, 'noise', challenger, 0.05, 'first stage')).toEqual({ modelId: challenger, previousShare: 0, share: 0.05 });
    const during = await decide(tenant, [inside, outside]);
    expect(during.get(inside)).toMatchObject({ model_id: challenger, shadow_model_id: champion, decision: 'suppress' });
    expect(during.get(inside)?.score).toBeCloseTo(sigmoid(-8), 4);
    expect(during.get(inside)?.shadow_score).toBeCloseTo(sigmoid(-4), 4);
    expect(during.get(outside)).toMatchObject({ model_id: champion, shadow_model_id: challenger });
    expect(during.get(outside)?.score).toBeCloseTo(sigmoid(-4), 4);

    const events = (await registry.history(tenant, 'noise')).filter((event) => event.action === 'canary');
    expect(events).toEqual([expect.objectContaining({ modelId: challenger, reason: 'first stage', evidence: { share: 0.05, previousShare: 0 } })]);
  });

  it('grows by adding services: one in the 5% stage stays with the challenger at 25%, and one past 25% joins at 50%', async () => {
    const { tenant, challenger } = await tenantWithChallenger();
    const early = serviceAt(tenant, 0, 0.05);
    const late = serviceAt(tenant, 0.25, 0.5);
    await registry.setCanary(tenant, 'noise', challenger, 0.05, 'stage 1');
    expect([...(await decide(tenant, [early, late])).values()].map((row) => row.model_id === challenger)).toEqual([true, false]);
    await registry.setCanary(tenant, 'noise', challenger, 0.25, 'stage 2');
    expect([...(await decide(tenant, [early, late])).values()].map((row) => row.model_id === challenger)).toEqual([true, false]);
    expect(await registry.setCanary(tenant, 'noise', challenger, 0.5, 'stage 3')).toMatchObject({ previousShare: 0.25 });
    expect([...(await decide(tenant, [early, late])).values()].map((row) => row.model_id === challenger)).toEqual([true, true]);
  });

  it('ends when the challenger is promoted: the new champion decides every service with nothing in shadow', async () => {
    const { tenant, challenger } = await tenantWithChallenger();
    const inside = serviceAt(tenant, 0, 0.25);
    const outside = serviceAt(tenant, 0.5, 1);
    await registry.setCanary(tenant, 'noise', challenger, 0.25, 'stage 2');
    expect(await registry.canary(tenant, 'noise')).toEqual({ modelId: challenger, share: 0.25 });
    await registry.promote(tenant, 'noise', challenger, 'canary went well');
    expect(await registry.canary(tenant, 'noise')).toBeNull();
    expect(await redis.exists(`hush:{${tenant}}:canary:noise`)).toBe(0);
    const after = await decide(tenant, [inside, outside]);
    for (const row of after.values()) expect(row).toMatchObject({ model_id: challenger, shadow_model_id: '', shadow_score: null });
  });

  it('ends when the challenger is rejected, and a newer challenger starts in shadow, not in its predecessor\'s canary', async () => {
    const { tenant, challenger } = await tenantWithChallenger();
    await registry.setCanary(tenant, 'noise', challenger, 0.5, 'stage 3');
    await registry.reject(tenant, 'noise', challenger, 'worse on FNR');
    expect(await registry.canary(tenant, 'noise')).toBeNull();

    const second = await register(tenant, 3);
    await registry.setCanary(tenant, 'noise', second, 1, 'everything');
    const third = await register(tenant, 4);
    expect(await registry.canary(tenant, 'noise')).toBeNull();
    expect((await decide(tenant, [serviceAt(tenant, 0, 0.5)])).get(serviceAt(tenant, 0, 0.5))).toMatchObject({ shadow_model_id: third });
  });

  it('ends at share 0', async () => {
    const { tenant, champion, challenger } = await tenantWithChallenger();
    const inside = serviceAt(tenant, 0, 0.05);
    await registry.setCanary(tenant, 'noise', challenger, 0.05, 'stage 1');
    expect(await registry.setCanary(tenant, 'noise', challenger, 0, 'back to shadow')).toEqual({ modelId: challenger, previousShare: 0.05, share: 0 });
    expect(await registry.canary(tenant, 'noise')).toBeNull();
    expect((await decide(tenant, [inside])).get(inside)).toMatchObject({ model_id: champion, shadow_model_id: challenger });
  });

  it('is refused for the champion or an older model (409), an unknown model (404) and a share outside [0, 1] (400)', async () => {
    const { tenant, champion, challenger } = await tenantWithChallenger();
    await expect(registry.setCanary(tenant, 'noise', champion, 0.05, 'x')).rejects.toMatchObject({ code: 'HUSH_ERR_CONFLICT', message: expect.stringContaining(`not the challenger of ${tenant}/noise (it is ${challenger})`) });
    await expect(registry.setCanary(tenant, 'noise', 'noise-v99-gbdt', 0.05, 'x')).rejects.toMatchObject({ code: 'HUSH_ERR_NOT_FOUND' });
    for (const share of [-0.1, 1.5, Number.NaN]) {
      await expect(registry.setCanary(tenant, 'noise', challenger, share, 'x')).rejects.toMatchObject({ code: 'HUSH_ERR_VALIDATION', message: expect.stringContaining('share must be') });
    }
    expect(await registry.canary(tenant, 'noise')).toBeNull();
    expect((await registry.history(tenant, 'noise')).some((event) => event.action === 'canary')).toBe(false);
  });

  it('reaches every replica at the change notice, well before the staleness bound', async () => {
    const { tenant, challenger } = await tenantWithChallenger();
    const replicas = [connectRedis(), connectRedis()];
    const feeds = replicas.map((connection) => new TenantChangeFeed(connection));
    const caches = replicas.map((connection, i) => new CanaryCache({ redis: connection, changes: feeds[i] as TenantChangeFeed, maxStalenessMs: 600_000 }));
    try {
      await Promise.all(feeds.map((feed) => feed.ready()));
      for (const cache of caches) expect(await cache.currentCanary(tenant)).toBeNull();
      await registry.setCanary(tenant, 'noise', challenger, 0.25, 'stage 2');
      await waitFor(async () => (await Promise.all(caches.map((cache) => cache.currentCanary(tenant)))).every((canary) => canary?.share === 0.25), {
        timeoutMs: 2_000,
        what: 'both replicas to see the 25% stage',
      });
    } finally {
      for (const cache of caches) cache.close();
      await Promise.all(feeds.map((feed) => feed.close()));
      await Promise.all(replicas.map((connection) => connection.quit()));
    }
  });
});
