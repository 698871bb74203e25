import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { TENANT_WIDE_SERVICE, type ThresholdStore } from './threshold-store.js';
import { msPart, toDateTime } from '../clickhouse/rows.js';
import { sqlString } from '../clickhouse/sql-escape.js';
import { HushError } from '../errors/index.js';
import { MODELS_CHANGED_CHANNEL } from './champion-store.js';
import type { ModelEvent } from './model-registry.js';
import { servingThresholds } from './serving-thresholds.js';

/** Who changed a threshold. */
export type ThresholdSource = 'manual' | 'optimiser';

/** Options of {@link ThresholdRegistry}. */
export interface ThresholdRegistryOptions {
  /** Connection for the pinned set (and the optimiser's guarded writes). */
  redis: Redis;
  /** Where `threshold_changes` lives. */
  clickhouse: ClickHouseClient;
  /**
   * The thresholds scoring reads; pins and unpins go through it, and the thresholds in force before and
   * after a change are read from it, so build it with `cacheTtlMs: 0`.
   */
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

/** What {@link ThresholdRegistry.serveModel} did. */
export interface ServedThresholds {
  /** Where the thresholds now served come from; `none`: the model was never evaluated (or there is none), so the store's default serves. */
  source: 'promotion' | 're-certification' | 'none';
  /** The services whose threshold changed. */
  changes: ThresholdChange[];
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

/**
 * A Redis key and the value it must hold (null: must not exist) for {@link ThresholdRegistry.replaceOptimised}
 * to write, and with `next`, what the same script then sets it to (null: deletes it).
 */
export interface ReplaceGuard {
  key: string;
  value: string | null;
  /** Moves a champion pointer in the same step as the thresholds tuned for the model it is to name. */
  next?: string | null;
}

// Replaces a tenant's optimised thresholds in one step, so scoring never reads a mix of two models'
// thresholds and a pin landing meanwhile is never overwritten: sets every unpinned service of the new
// set, drops every unpinned service missing from it, optionally moves the guard key (a champion
// pointer, so thresholds and pointer land together or not at all), and announces the change once.
// KEYS: thresholds hash, pinned set, and optionally a guard key. ARGV: channel, tenant, the value the
// guard key must hold ('' = absent), what then to do with it ('' = nothing, 'set', 'del'), the value to
// set, then service, threshold pairs. Returns the hash as it was (HGETALL) and the services changed, or
// {'conflict', what the guard key holds} and changes nothing.
const REPLACE_UNPINNED = `
if #KEYS == 3 then
  local holds = redis.call('GET', KEYS[3]) or ''
  if holds ~= ARGV[3] then return {'conflict', holds} end
end
local pinned = {}
for _, service in ipairs(redis.call('SMEMBERS', KEYS[2])) do pinned[service] = true end
local before = redis.call('HGETALL', KEYS[1])
local current = {}
for i = 1, #before, 2 do current[before[i]] = before[i + 1] end
local wanted = {}
local changed = {}
for i = 6, #ARGV, 2 do
  local service, threshold = ARGV[i], ARGV[i + 1]
  if not pinned[service] then
    wanted[service] = true
    if current[service] ~= threshold then
      redis.call('HSET', KEYS[1], service, threshold)
      changed[#changed + 1] = service
    end
  end
end
for service in pairs(current) do
  if not pinned[service] and not wanted[service] then
    redis.call('HDEL', KEYS[1], service)
    changed[#changed + 1] = service
  end
end
if ARGV[4] == 'set' then redis.call('SET', KEYS[3], ARGV[5]) elseif ARGV[4] == 'del' then redis.call('DEL', KEYS[3]) end
if #changed > 0 or ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
return {before, changed}`;

/**
 * Per-(tenant, service) thresholds as people and the optimiser change them (issue 3, item 5).
 * A manual threshold is *pinned*: the service joins the Redis set `<prefix>:{tenant}:thresholds:pinned`
 * and the optimiser's {@link replaceOptimised} leaves it alone until {@link unpin}. Every change is
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
    await this.record(tenant, [{ service, threshold, previous, source: 'manual', reason, evidence: { pinned: true } }]);
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
    await this.record(tenant, [{ service, threshold, previous, source: 'manual', reason, evidence: { pinned: false } }]);
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

  /** The pinned thresholds, by service. */
  async pinnedThresholds(tenant: string): Promise<Map<string, number>> {
    const services = await this.pinnedServices(tenant);
    return new Map(await Promise.all(services.map(async (service) => [service, await this.thresholds.getThreshold(tenant, service)] as const)));
  }

  /**
   * The optimiser's write: makes `byService` (the tenant-wide threshold under {@link TENANT_WIDE_SERVICE})
   * the tenant's whole optimised set, in one Redis script. Unpinned services missing from it lose their
   * own threshold (they get the tenant-wide one, else the store's default); pinned services are never
   * touched. Every changed service is recorded, in one insert. Returns the changes, by service.
   *
   * With `guard`, the set is replaced only while the key holds the value, checked in the same script:
   * thresholds tuned for one champion never land after another took its place. With `guard.next` the
   * script then moves the key, so a champion pointer flips with its thresholds. Otherwise nothing
   * changes and it throws `HUSH_ERR_CONFLICT`.
   */
  async replaceOptimised(tenant: string, byService: ReadonlyMap<string, number>, reason: string, evidence: Record<string, unknown>, guard?: ReplaceGuard): Promise<ThresholdChange[]> {
    const pairs: string[] = [];
    for (const [service, threshold] of byService) {
      // Unlike a pin, 0 is a valid optimum: too few labels to suppress anything safely, so notify all.
      if (!isThreshold(threshold)) {
        throw new HushError('HUSH_ERR_VALIDATION', `optimised threshold of service ${JSON.stringify(service)} must be within [0, 1], got ${String(threshold)}`);
      }
      pairs.push(service, String(threshold));
    }
    // What a service with no threshold of its own and no tenant-wide one gets is the store's default,
    // which only the store knows: read what such a service gets before and after the script.
    const fallbackBefore = await this.thresholds.getThreshold(tenant, TENANT_WIDE_SERVICE);
    const keys = guard === undefined ? [this.thresholdsKey(tenant), this.pinnedKey(tenant)] : [this.thresholdsKey(tenant), this.pinnedKey(tenant), guard.key];
    const move = guard?.next === undefined ? ['', ''] : guard.next === null ? ['del', ''] : ['set', guard.next];
    const reply = await this.redis.eval(REPLACE_UNPINNED, keys.length, ...keys, MODELS_CHANGED_CHANNEL, tenant, guard?.value ?? '', ...move, ...pairs);
    if ((reply as unknown[])[0] === 'conflict' && guard !== undefined) {
      const holds = `${guard.key} holds ${quoted((reply as [string, string])[1])}, not ${quoted(guard.value)}`;
      throw new HushError(
        'HUSH_ERR_CONFLICT',
        guard.next === undefined
          ? `thresholds of tenant ${tenant} not replaced: ${holds} (${reason})`
          : `champion not moved to ${quoted(guard.next)}, thresholds of tenant ${tenant} not replaced: ${holds}; another promotion or rollback landed first (${reason}). Check the champion and retry if still wanted`,
      );
    }
    const [flat, changed] = reply as [string[], string[]];
    if (changed.length === 0) return [];
    const fallbackAfter = await this.thresholds.getThreshold(tenant, TENANT_WIDE_SERVICE);
    const before = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) {
      const value = Number(flat[i + 1]);
      if (isThreshold(value)) before.set(flat[i] as string, value);
    }
    const after = new Map(before);
    for (const service of changed) {
      const threshold = byService.get(service);
      if (threshold === undefined) after.delete(service);
      else after.set(service, threshold);
    }
    const changes = changed.sort().map((service) => ({ service, threshold: inForce(after, service, fallbackAfter), previous: inForce(before, service, fallbackBefore), pinned: false }));
    await this.record(
      tenant,
      changes.map(({ service, threshold, previous }) => ({ service, threshold, previous, source: 'optimiser', reason, evidence: byService.has(service) ? evidence : { ...evidence, removed: true } })),
    );
    return changes;
  }

  /**
   * Serves the thresholds `modelId` was evaluated at (recorded in the registry `history`, see
   * {@link servingThresholds}) as the optimised set. A model never evaluated, or none (cold start), gets
   * no optimised thresholds, so unpinned services fall back to the store's default instead of keeping
   * thresholds tuned for another model's scores. With `pointer`, the same script moves that champion
   * pointer to `modelId`, only while it holds `pointer.value` (see {@link replaceOptimised}). The one step
   * a promotion by hand and both rollbacks share.
   */
  async serveModel(tenant: string, modelId: string | null, history: readonly ModelEvent[], reason: string, pointer?: Pick<ReplaceGuard, 'key' | 'value'>): Promise<ServedThresholds> {
    const serving = modelId === null ? null : servingThresholds(history, modelId);
    const source = serving?.source ?? 'none';
    const evidence = { modelId, source, ...(serving === null ? {} : { evaluatedAt: serving.at }) };
    const guard = pointer === undefined ? undefined : { key: pointer.key, value: pointer.value, next: modelId };
    const changes = await this.replaceOptimised(tenant, serving?.byService ?? new Map(), reason, evidence, guard);
    return { source, changes };
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

  private async record(tenant: string, rows: readonly Omit<ThresholdEvent, 'at'>[]): Promise<void> {
    const now = Date.now();
    await this.clickhouse.insert({
      table: 'threshold_changes',
      values: rows.map((row) => ({ tenant, event_id: `${now}-${randomUUID()}`, at: toDateTime(now), at_ms: msPart(now), ...row, evidence: JSON.stringify(row.evidence) })),
      format: 'JSONEachRow',
    });
  }
}

/** What a service gets from `own` thresholds: its own, else the tenant-wide one, else `fallback`. */
function inForce(own: ReadonlyMap<string, number>, service: string, fallback: number): number {
  return own.get(service) ?? own.get(TENANT_WIDE_SERVICE) ?? fallback;
}

/** A key's value in a message; '' and null: nothing there. */
function quoted(value: string | null): string {
  return value === null || value === '' ? 'nothing' : JSON.stringify(value);
}

function isThreshold(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}

/** The range a person or the optimiser may set, (0, 1]: a threshold of 0 would switch suppression off unnoticed. */
function checkThreshold(threshold: number): void {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new HushError('HUSH_ERR_VALIDATION', `threshold must be a number with 0 < threshold ≤ 1, got ${String(threshold)}`);
  }
}
