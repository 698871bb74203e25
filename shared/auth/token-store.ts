import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const TOKENS_KEY = 'hush:auth:tokens';
const DEV_TENANT = 'dev';

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Bearer tokens per tenant. Tokens from `HUSH_TOKENS` are static; tokens issued by the CLI live in
 * Redis as SHA-256 digests, so a Redis dump never reveals a usable token.
 */
export class TokenStore {
  private readonly cache = new Map<string, { tenant: string | null; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly staticTokens: ReadonlyMap<string, string> = new Map(),
    private readonly cacheMs = 5_000,
  ) {}

  /** The tenant a token belongs to, or null for an unknown token. */
  async tenantOf(token: string): Promise<string | null> {
    const fixed = this.staticTokens.get(token);
    if (fixed) return fixed;
    const key = digest(token);
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.tenant;
    const tenant = await this.redis.hget(TOKENS_KEY, key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { tenant, until: Date.now() + this.cacheMs });
    return tenant;
  }

  /** Issues a new random token for a tenant and returns it (shown once). */
  async issue(tenant: string): Promise<string> {
    const token = `hush_${tenant}_${randomBytes(18).toString('base64url')}`;
    await this.redis.hset(TOKENS_KEY, digest(token), tenant);
    return token;
  }

  /** Revokes a token; returns whether it existed. */
  async revoke(token: string): Promise<boolean> {
    this.cache.delete(digest(token));
    return (await this.redis.hdel(TOKENS_KEY, digest(token))) === 1;
  }
}

/**
 * The local development token of tenant `dev`: a fixed, documented value so that `hush up` can print
 * it and local collectors can be configured once. Never use it outside local development.
 */
export const DEV_TOKEN = 'hush-dev-token-change-me';

/** Registers {@link DEV_TOKEN} for tenant `dev` and returns it. */
export async function ensureDevToken(redis: Redis): Promise<{ tenant: string; token: string }> {
  await redis.hset(TOKENS_KEY, digest(DEV_TOKEN), DEV_TENANT);
  return { tenant: DEV_TENANT, token: DEV_TOKEN };
}
