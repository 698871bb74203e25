import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { DEFAULT_MODEL_KIND } from './champion-store.js';
import { CanaryStore, type Canary } from './canary-store.js';
import type { TenantChangeFeed } from './tenant-change-feed.js';

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

interface Cached {
  canary: Canary | null;
  expiresAt: number;
}

/**
 * Per-process cache of each tenant's canary for scoring: a change notice drops the tenant's entry, so a
 * new stage (or its end) reaches every replica as fast as a champion flip does.
 */
export class CanaryCache {
  private readonly store: CanaryStore;
  private readonly kind: string;
  private readonly maxStalenessMs: number;
  private readonly cache = new Map<string, Cached>();
  private readonly inflight = new Map<string, Promise<Canary | null>>();
  private readonly unsubscribe: () => void;
  /** Bumped by every change notice, so a read that raced with a change is not cached. */
  private epoch = 0;

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
    this.unsubscribe = options.changes.onChange((tenant) => {
      this.epoch += 1;
      if (tenant === null) {
        this.cache.clear();
        this.inflight.clear();
      } else {
        this.cache.delete(tenant);
        this.inflight.delete(tenant);
      }
    });
  }

  /** The tenant's canary, or null when its challenger (if any) only scores in shadow. */
  async currentCanary(tenant: string): Promise<Canary | null> {
    const cached = this.cache.get(tenant);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.canary;
    return this.fetch(tenant);
  }

  /** Stops listening for change notices. Safe to call twice. */
  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  /** One read per tenant at a time, however many alerts ask. */
  private fetch(tenant: string): Promise<Canary | null> {
    const running = this.inflight.get(tenant);
    if (running !== undefined) return running;
    const epoch = this.epoch;
    const load = this.store
      .getCanary(tenant, this.kind)
      .then((canary) => {
        if (epoch === this.epoch) this.cache.set(tenant, { canary, expiresAt: Date.now() + this.maxStalenessMs });
        return canary;
      })
      .finally(() => {
        if (this.inflight.get(tenant) === load) this.inflight.delete(tenant);
      });
    this.inflight.set(tenant, load);
    return load;
  }
}
