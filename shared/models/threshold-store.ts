import type { Redis } from 'ioredis';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { TenantReadCache } from './tenant-read-cache.js';
import { HushError } from '../errors/index.js';
import { MODELS_CHANGED_CHANNEL } from './champion-store.js';
import type { TenantChangeFeed } from './tenant-change-feed.js';

/** Options of {@link ThresholdStore}. */
export interface ThresholdStoreOptions {
  /** Connection for reads and writes. */
  redis: Redis;
  /**
   * Threshold for a service without one of its own: notify when P(actionable) ≥ threshold.
   * @defaultValue 0.5
   */
  defaultThreshold?: number;
  /**
   * How long a tenant's thresholds are served from memory before Redis is read again.
   * @defaultValue 3000
   */
  cacheTtlMs?: number;
  /**
   * Change notices that drop a tenant's cached thresholds at once; without it changes show after
   * `cacheTtlMs`.
   * @defaultValue none
   */
  changes?: TenantChangeFeed;
  /**
   * First segment of the hash key `<prefix>:{tenant}:thresholds`.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
}

/**
 * The hash field holding the tenant-wide threshold, which serves services without one of their own
 * (service names are never empty, so it cannot collide).
 */
export const TENANT_WIDE_SERVICE = '';


/** Per (tenant, service) decision thresholds in the Redis hash `hush:{tenant}:thresholds`. */
export class ThresholdStore {
  private readonly redis: Redis;
  private readonly defaultThreshold: number;
  private readonly cacheTtlMs: number;
  private readonly keyPrefix: string;
  /** One HGETALL per tenant at a time, however many alerts ask. */
  private readonly cache: TenantReadCache<ReadonlyMap<string, number>>;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(options: ThresholdStoreOptions) {
    if (options.redis === undefined || options.redis === null) throw new HushError('HUSH_ERR_CONFIG', 'ThresholdStore option redis is required');
    this.redis = options.redis;
    this.defaultThreshold = options.defaultThreshold ?? 0.5;
    this.cacheTtlMs = options.cacheTtlMs ?? 3_000;
    this.keyPrefix = options.keyPrefix ?? 'hush';
    if (!isThreshold(this.defaultThreshold)) {
      throw new HushError('HUSH_ERR_CONFIG', `ThresholdStore option defaultThreshold must be within [0, 1], got ${String(this.defaultThreshold)}`);
    }
    if (!Number.isFinite(this.cacheTtlMs) || this.cacheTtlMs < 0) {
      throw new HushError('HUSH_ERR_CONFIG', `ThresholdStore option cacheTtlMs must be a non-negative number, got ${String(this.cacheTtlMs)}`);
    }
    this.cache = new TenantReadCache((tenant) => this.read(tenant), this.cacheTtlMs);
    this.unsubscribe = options.changes?.onChange((tenant) => this.cache.forget(tenant));
  }

  /** The threshold in force for (tenant, service): the service's own, else the tenant-wide one, else the default. */
  async getThreshold(tenant: string, service: string): Promise<number> {
    const byService = await this.cache.get(tenant);
    return byService.get(service) ?? byService.get(TENANT_WIDE_SERVICE) ?? this.defaultThreshold;
  }

  /** Sets a service's threshold and tells every replica (MULTI: HSET + PUBLISH). */
  async setThreshold(tenant: string, service: string, threshold: number): Promise<void> {
    if (!isThreshold(threshold)) throw new HushError('HUSH_ERR_VALIDATION', `threshold must be within [0, 1], got ${String(threshold)}`);
    await this.redis.multi().hset(this.key(tenant), service, String(threshold)).publish(MODELS_CHANGED_CHANNEL, tenant).exec();
    this.cache.forget(tenant);
  }

  /** Drops a service's own threshold (back to the default) and tells every replica. */
  async clearThreshold(tenant: string, service: string): Promise<void> {
    await this.redis.multi().hdel(this.key(tenant), service).publish(MODELS_CHANGED_CHANNEL, tenant).exec();
    this.cache.forget(tenant);
  }

  /** Stops listening for change notices. */
  close(): void {
    this.unsubscribe?.();
    this.cache.forget(null);
  }

  private key(tenant: string): string {
    if (!TENANT_PATTERN.test(tenant)) {
      throw new HushError('HUSH_ERR_VALIDATION', `tenant ${JSON.stringify(tenant)} does not match ${String(TENANT_PATTERN)}`);
    }
    return `${this.keyPrefix}:{${tenant}}:thresholds`;
  }

  private async read(tenant: string): Promise<ReadonlyMap<string, number>> {
    const byService = new Map<string, number>();
    for (const [service, text] of Object.entries(await this.redis.hgetall(this.key(tenant)))) {
      const value = Number(text);
      // A malformed entry must not become a threshold of 0 (suppress nothing) or NaN (suppress all).
      if (isThreshold(value)) byService.set(service, value);
    }
    return byService;
  }
}

function isThreshold(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}
