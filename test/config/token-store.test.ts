import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_TOKEN, TokenStore, ensureDevToken } from '../../shared/auth/token-store.js';
import { connectRedis, uniqueTenant } from '../scoring/redis-fixture.js';

let redis: Redis;
/** Tokens issued by this file, revoked at the end through the store. */
const issued: string[] = [];

beforeAll(() => {
  redis = connectRedis();
});

afterAll(async () => {
  const store = new TokenStore(redis);
  for (const token of issued) await store.revoke(token);
  await redis.quit();
});

async function issue(store: TokenStore, tenant: string): Promise<string> {
  const token = await store.issue(tenant);
  issued.push(token);
  return token;
}

describe('TokenStore', () => {
  it('resolves static tokens without asking Redis', async () => {
    const store = new TokenStore(redis, new Map([['static-token-123', 'acme']]));
    expect(await store.tenantOf('static-token-123')).toBe('acme');
    expect(await store.tenantOf('unknown-token-123')).toBeNull();
  });

  it('issues a fresh tenant-named token that any store on the same Redis resolves', async () => {
    const tenant = uniqueTenant();
    const store = new TokenStore(redis);
    const first = await issue(store, tenant);
    const second = await issue(store, tenant);
    expect(first).toMatch(new RegExp(`^hush_${tenant}_[A-Za-z0-9_-]{24}$`));
    expect(second).not.toBe(first);
    const other = new TokenStore(redis);
    expect(await other.tenantOf(first)).toBe(tenant);
    expect(await other.tenantOf(second)).toBe(tenant);
  });

  it('stores only a digest of an issued token, never the token itself', async () => {
    const token = await issue(new TokenStore(redis), uniqueTenant());
    const stored = await redis.hgetall('hush:auth:tokens');
    expect(Object.keys(stored)).not.toContain(token);
    expect(Object.values(stored)).not.toContain(token);
  });

  it('revokes a token: it no longer resolves, and a second revoke reports it was gone', async () => {
    const tenant = uniqueTenant();
    const store = new TokenStore(redis);
    const token = await issue(store, tenant);
    expect(await store.tenantOf(token)).toBe(tenant);
    expect(await store.revoke(token)).toBe(true);
    expect(await store.tenantOf(token)).toBeNull();
    expect(await store.revoke(token)).toBe(false);
  });

  it('serves a lookup from its cache until the cache time passes', async () => {
    const tenant = uniqueTenant();
    const issuer = new TokenStore(redis);
    const cached = new TokenStore(redis, new Map(), 60_000);
    const uncached = new TokenStore(redis, new Map(), 0);
    const token = await issue(issuer, tenant);
    expect(await cached.tenantOf(token)).toBe(tenant);
    expect(await uncached.tenantOf(token)).toBe(tenant);
    await issuer.revoke(token);
    // Revoked elsewhere: the long-lived cache still answers, the zero-time one asks Redis again.
    expect(await cached.tenantOf(token)).toBe(tenant);
    expect(await uncached.tenantOf(token)).toBeNull();
  });

  it('caches unknown tokens too, and a revoke through the same store drops its cache entry', async () => {
    const tenant = uniqueTenant();
    const store = new TokenStore(redis, new Map(), 60_000);
    const token = await issue(store, tenant);
    expect(await store.tenantOf(token)).toBe(tenant);
    await store.revoke(token);
    expect(await store.tenantOf(token)).toBeNull();
  });

  it('registers the documented development token for tenant dev', async () => {
    expect(await ensureDevToken(redis)).toEqual({ tenant: 'dev', token: DEV_TOKEN });
    expect(await ensureDevToken(redis)).toEqual({ tenant: 'dev', token: DEV_TOKEN });
    expect(await new TokenStore(redis).tenantOf(DEV_TOKEN)).toBe('dev');
  });
});
