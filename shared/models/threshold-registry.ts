import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import type { ThresholdStore } from './threshold-store.js';
import { msPart, toDateTime } from '../clickhouse/rows.js';
import { sqlString } from '../clickhouse/sql-escape.js';
import { HushError } from '../errors/index.js';
import { MODELS_CHANGED_CHANNEL } from './champion-store.js';

/** Who changed a threshold. */
export type ThresholdSource = 'manual' | 'optimiser';

/** Options of {@link ThresholdRegistry}. */
export interface ThresholdRegistryOptions {
  /** Connection for the pinned set (and the optimiser's guarded write). */
  redis: Redis;
  /** Where `threshold_changes` lives. */
  clickhouse: ClickHouseClient;
  /** The thresholds scoring reads; pins and unpins go through it. */
  thresholds: ThresholdStore;
  /**
   * First key segment; must be the one `thresholds` was built with.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
}

/** A threshold after a change, and the one in force before it. */
export interface ThresholdChange {
  service: string;
  /** The threshold now in force for (tenant, service). */
  threshold: number;
  previous: number;
  pinned: boolean;
}

/** One row of a tenant's threshold history. */
export interface ThresholdEvent {
  at: string;
  service: string;
  threshold: number;
  previous: number;
  source: ThresholdSource;
  reason: string;
  evidence: Record<string, unknown>;
}

interface EventRow {
  at: string;
  at_ms: number;
  service: string;
  threshold: number;
  previous: number;
  source: ThresholdSource;
  reason: string;
  evidence: string;
}

// Sets an optimised threshold unless the service is pinned, in one step, so that a pin landing
// between the optimiser's check and its write can never be overwritten.
// KEYS: thresholds hash, pinned set. ARGV: service, threshold, channel, tenant.
const SET_UNLESS_PINNED = `
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1`;

/**
 * Per-(tenant, service) thresholds as people and the optimiser change them (issue 3, item 5).
 * A manual threshold is *pinned*: the service joins the Redis set `<prefix>:{tenant}:thresholds:pinned`
 * and the optimiser's {@link applyOptimised} leaves it alone until {@link unpin}. Every change is
 * recorded in ClickHouse `threshold_changes` with the threshold before and after.
 */
export class ThresholdRegistry {
  private readonly redis: Redis;
  private readonly clickhouse: ClickHouseClient;
  private readonly thresholds: ThresholdStore;
  private readonly keyPrefix: string;

  constructor(options: ThresholdRegistryOptions) {
    for (const name of ['redis', 'clickhouse', 'thresholds'] as const) {
      if (options[name] === undefined || options[name] === null) throw new HushError('HUSH_ERR_CONFIG', `ThresholdRegistry option ${name} is required`);
    }
    this.redis = options.redis;
    this.clickhouse = options.clickhouse;
    this.thresholds = options.thresholds;
    this.keyPrefix = options.keyPrefix ?? 'hush';
  }

  /** Sets and pins a service's threshold (a person's decision the optimiser must respect). */
  async pin(tenant: string, service: string, threshold: number, reason: string): Promise<ThresholdChange> {
    checkThreshold(threshold);
    const previous = await this.thresholds.getThreshold(tenant, service);
    // Marker first: an optimiser write after it is refused, one before it is overwritten below.
    await this.redis.sadd(this.pinnedKey(tenant), service);
    await this.thresholds.setThreshold(tenant, service, threshold);
    await this.record(tenant, service, threshold, previous, 'manual', reason, { pinned: true });
    return { service, threshold, previous, pinned: true };
  }

  /**
   * Unpins a service: its own threshold is dropped, so the default applies until the optimiser sets
   * one again. Null when the service was not pinned.
   */
  async unpin(tenant: string, service: string, reason: string): Promise<ThresholdChange | null> {
    const key = this.pinnedKey(tenant);
    if ((await this.redis.sismember(key, service)) === 0) return null;
    const previous = await this.thresholds.getThreshold(tenant, service);
    // Value first: while the marker stands the optimiser cannot write between the two steps.
    await this.thresholds.clearThreshold(tenant, service);
    await this.redis.srem(key, service);
    const threshold = await this.thresholds.getThreshold(tenant, service);
    await this.record(tenant, service, threshold, previous, 'manual', reason, { pinned: false });
    return { service, threshold, previous, pinned: false };
  }

  /** Whether a person pinned the service's threshold. */
  async isPinned(tenant: string, service: string): Promise<boolean> {
    return (await this.redis.sismember(this.pinnedKey(tenant), service)) === 1;
  }

  /** The tenant's pinned services, sorted. */
  async pinnedServices(tenant: string): Promise<string[]> {
    return (await this.redis.smembers(this.pinnedKey(tenant))).sort();
  }

  /**
   * The optimiser's write: sets the threshold unless the service is pinned (checked atomically with
   * the write) and records it with its evidence. Returns false, changing nothing, for a pinned service.
   */
  async applyOptimised(tenant: string, service: string, threshold: number, reason: string, evidence: Record<string, unknown>): Promise<boolean> {
    // Unlike a pin, 0 is a valid optimum: too few labels to suppress anything safely, so notify all.
    if (!(Number.isFinite(threshold) && threshold >= 0 && threshold <= 1)) {
      throw new HushError('HUSH_ERR_VALIDATION', `optimised threshold must be within [0, 1], got ${String(threshold)}`);
    }
    const previous = await this.thresholds.getThreshold(tenant, service);
    const set = await this.redis.eval(SET_UNLESS_PINNED, 2, this.thresholdsKey(tenant), this.pinnedKey(tenant), service, String(threshold), MODELS_CHANGED_CHANNEL, tenant);
    if (Number(set) !== 1) return false;
    await this.record(tenant, service, threshold, previous, 'optimiser', reason, evidence);
    return true;
  }

  /** The tenant's threshold changes (of one service, when given), oldest first. */
  async history(tenant: string, service?: string): Promise<ThresholdEvent[]> {
    const byService = service === undefined ? '' : ` AND service = ${sqlString(service)}`;
    const result = await this.clickhouse.query({
      query: `SELECT at, at_ms, service, threshold, previous, source, reason, evidence FROM threshold_changes FINAL
        WHERE tenant = ${sqlString(tenant)}${byService} ORDER BY at, at_ms, event_id`,
      format: 'JSONEachRow',
    });
    return (await result.json<EventRow>()).map((row) => ({
      at: `${row.at.replace(' ', 'T')}.${String(row.at_ms).padStart(3, '0')}Z`,
      service: row.service,
      threshold: Number(row.threshold),
      previous: Number(row.previous),
      source: row.source,
      reason: row.reason,
      evidence: JSON.parse(row.evidence) as Record<string, unknown>,
    }));
  }

  private pinnedKey(tenant: string): string {
    return `${this.thresholdsKey(tenant)}:pinned`;
  }

  /** The hash {@link ThresholdStore} keeps thresholds in (same key format, same prefix). */
  private thresholdsKey(tenant: string): string {
    if (!TENANT_PATTERN.test(tenant)) {
      throw new HushError('HUSH_ERR_VALIDATION', `tenant ${JSON.stringify(tenant)} does not match ${String(TENANT_PATTERN)}`);
    }
    return `${this.keyPrefix}:{${tenant}}:thresholds`;
  }

  private async record(tenant: string, service: string, threshold: number, previous: number, source: ThresholdSource, reason: string, evidence: Record<string, unknown>): Promise<void> {
    const now = Date.now();
    await this.clickhouse.insert({
      table: 'threshold_changes',
      values: [{ tenant, service, event_id: `${now}-${randomUUID()}`, at: toDateTime(now), at_ms: msPart(now), threshold, previous, source, reason, evidence: JSON.stringify(evidence) }],
      format: 'JSONEachRow',
    });
  }
}

/** The range a person or the optimiser may set, (0, 1]: a threshold of 0 would switch suppression off unnoticed. */
function checkThreshold(threshold: number): void {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new HushError('HUSH_ERR_VALIDATION', `threshold must be a number with 0 < threshold ≤ 1, got ${String(threshold)}`);
  }
}
