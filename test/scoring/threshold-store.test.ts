import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TenantChangeFeed } from '../../shared/models/tenant-change-feed.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { connectRedis, dropTenant, uniqueTenant } from './redis-fixture.js';

let redis: Redis;
const tenants: string[] = [];
const closers: (() => Promise<unknown> | void)[] = [];

beforeAll(() => {
  redis = connectRedis();
});

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  await Promise.all(tenants.splice(0).map((tenant) => dropTenant(redis, tenant)));
});

afterAll(async () => {
  await redis.quit();
});

function newTenant(): string {
  const tenant = uniqueTenant();
  tenants.push(tenant);
  return tenant;
}

describe('ThresholdStore', () => {
  it('uses the default threshold for a service without its own and the override for one with it', async () => {
    const tenant = newTenant();
    const store = new ThresholdStore({ redis, defaultThreshold: 0.3 });
    expect(await store.getThreshold(tenant, 'api')).toBe(0.3);
    await store.setThreshold(tenant, 'api', 0.72);
    expect(await store.getThreshold(tenant, 'api')).toBe(0.72);
    expect(await store.getThreshold(tenant, 'db')).toBe(0.3);
    expect(await redis.hget(`hush:{${tenant}}:thresholds`, 'api')).toBe('0.72');
    await store.clearThreshold(tenant, 'api');
    expect(await store.getThreshold(tenant, 'api')).toBe(0.3);
  });

  it('sees a change made by another replica at once when listening to change notices', async () => {
    const tenant = newTenant();
    const feed = new TenantChangeFeed(redis);
    closers.push(() => feed.close());
    await feed.ready();
    const reader = new ThresholdStore({ redis, cacheTtlMs: 60_000, changes: feed });
    closers.push(() => reader.close());
    const writer = new ThresholdStore({ redis });
    expect(await reader.getThreshold(tenant, 'api')).toBe(0.5);
    await writer.setThreshold(tenant, 'api', 0.9);
    const deadline = Date.now() + 1_000;
    while ((await reader.getThreshold(tenant, 'api')) !== 0.9) {
      if (Date.now() > deadline) throw new Error('change not seen within 1 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });

  it('serves from memory for cacheTtlMs without notices, then reads Redis again', async () => {
    const tenant = newTenant();
    const reader = new ThresholdStore({ redis, cacheTtlMs: 100 });
    expect(await reader.getThreshold(tenant, 'api')).toBe(0.5);
    await redis.hset(`hush:{${tenant}}:thresholds`, 'api', '0.8');
    expect(await reader.getThreshold(tenant, 'api')).toBe(0.5);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await reader.getThreshold(tenant, 'api')).toBe(0.8);
  });

  it('ignores a malformed stored threshold instead of suppressing everything', async () => {
    const tenant = newTenant();
    await redis.hset(`hush:{${tenant}}:thresholds`, 'api', 'NaN', 'db', '7');
    const store = new ThresholdStore({ redis, defaultThreshold: 0.4 });
    expect(await store.getThreshold(tenant, 'api')).toBe(0.4);
    expect(await store.getThreshold(tenant, 'db')).toBe(0.4);
  });

  it('rejects thresholds outside [0, 1] naming the option', async () => {
    expect(() => new ThresholdStore({ redis, defaultThreshold: 1.5 })).toThrow(/defaultThreshold/);
    await expect(new ThresholdStore({ redis }).setThreshold(newTenant(), 'api', -0.1)).rejects.toThrow(/threshold must be within/);
  });
});
