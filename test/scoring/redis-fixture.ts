import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';

/** The Redis the tests use (the global setup exports it; standalone runs fall back to the local default). */
export const REDIS_URL = process.env.HUSH_REDIS_URL ?? 'redis://127.0.0.1:6390';

/** A fresh connection to the test Redis. */
export function connectRedis(): Redis {
  return createRedis(REDIS_URL, { lazyConnect: false });
}

/** A tenant name no other test uses. */
export function uniqueTenant(): string {
  return `t-${randomUUID().slice(0, 8)}`;
}

/** Every key of the tenant (all of them carry the `{tenant}` hash tag). */
export async function tenantKeys(redis: Redis, tenant: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `hush:{${tenant}}:*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

/** Deletes every key of the tenant. */
export async function dropTenant(redis: Redis, tenant: string): Promise<void> {
  const keys = await tenantKeys(redis, tenant);
  if (keys.length > 0) await redis.del(...keys);
}
