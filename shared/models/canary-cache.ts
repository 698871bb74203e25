import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { DEFAULT_MODEL_KIND } from './champion-store.js';
import { CanaryStore, type Canary } from './canary-store.js';
import type { TenantChangeFeed } from './tenant-change-feed.js';
import { TenantReadCache } from './tenant-read-cache.js';

/** Options of {@link CanaryCache}. */
export interface CanaryCacheOptions {
  /** Connection for the canary reads. */
  redis: Redis;
  /** Change notices that drop a tenant's cached canary at once (the same as the model caches'). */
  changes: TenantChangeFeed;
  /**
   * Which model kind's canary to follow.
   * @defaultValue `'noise'`
   */
  kind?: string;
  /**
   * Key prefix of the canary hash.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
  /**
   * The canary is re-read at least this often even without a notice (a safety net for lost notices).
   * @defaultValue 30000
   */
  maxStalenessMs?: number;
}

/**
 * Per-process cache of each tenant's canary for scoring: a change notice drops the tenant's entry, so a
 * new stage (or its end) reaches every replica as fast as a champion flip does.
 */
export class CanaryCache {
  private readonly store: CanaryStore;
  private readonly kind: string;
  private readonly maxStalenessMs: number;
  private readonly cache: TenantReadCache<Canary | null>;
  private readonly unsubscribe: () => void;

  constructor(options: CanaryCacheOptions) {
    if (options.redis === undefined || options.redis === null) throw new HushError('HUSH_ERR_CONFIG', 'CanaryCache option redis is required');
    if (options.changes === undefined || options.changes === null) throw new HushError('HUSH_ERR_CONFIG', 'CanaryCache option changes is required');
    this.store = new CanaryStore({ redis: options.redis, keyPrefix: options.keyPrefix });
    this.kind = options.kind ?? DEFAULT_MODEL_KIND;
    this.maxStalenessMs = options.maxStalenessMs ?? 30_000;
    if (!Number.isFinite(this.maxStalenessMs) || this.maxStalenessMs < 0) {
      throw new HushError('HUSH_ERR_CONFIG', `CanaryCache option maxStalenessMs must be a non-negative number, got ${String(this.maxStalenessMs)}`);
    }
    this.store.canaryKey('a', this.kind); // validates kind now, not on the first alert
    this.cache = new TenantReadCache((tenant) => this.store.getCanary(tenant, this.kind), this.maxStalenessMs);
    this.unsubscribe = options.changes.onChange((tenant) => this.cache.forget(tenant));
  }

  /** The tenant's canary, or null when its challenger (if any) only scores in shadow. */
  async currentCanary(tenant: string): Promise<Canary | null> {
    return this.cache.get(tenant);
  }

  /** Stops listening for change notices. Safe to call twice. */
  close(): void {
    this.unsubscribe();
    this.cache.forget(null);
  }
}
