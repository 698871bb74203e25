/**
 * A per-tenant cache of one Redis read for the scoring hot path: entries live `ttlMs` (a safety net for
 * lost change notices), concurrent misses of a tenant share one read, and `forget` (a change notice or
 * a local write) drops the tenant so the next call reads again. A read that raced with a `forget` is
 * returned to its callers but not cached, so a change is never hidden by an older read.
 */
export class TenantReadCache<T> {
  private readonly cache = new Map<string, { value: T; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<T>>();
  /** Bumped by every `forget`. */
  private epoch = 0;

  constructor(
    private readonly read: (tenant: string) => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  /** The tenant's cached value, else one shared read. */
  get(tenant: string): Promise<T> {
    const cached = this.cache.get(tenant);
    if (cached !== undefined && cached.expiresAt > Date.now()) return Promise.resolve(cached.value);
    const running = this.inflight.get(tenant);
    if (running !== undefined) return running;
    const epoch = this.epoch;
    const load = this.read(tenant)
      .then((value) => {
        if (epoch === this.epoch) this.cache.set(tenant, { value, expiresAt: Date.now() + this.ttlMs });
        return value;
      })
      .finally(() => {
        if (this.inflight.get(tenant) === load) this.inflight.delete(tenant);
      });
    this.inflight.set(tenant, load);
    return load;
  }

  /** Drops one tenant, or every tenant (`null`). */
  forget(tenant: string | null): void {
    this.epoch += 1;
    if (tenant === null) {
      this.cache.clear();
      this.inflight.clear();
    } else {
      this.cache.delete(tenant);
      this.inflight.delete(tenant);
    }
  }
}
