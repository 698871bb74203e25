import type { ChainableCommander, Redis } from 'ioredis';
import { TENANT_PATTERN, type Alert } from '../../schemas/alert.js';
import type { OutcomeKind } from '../../schemas/outcome.js';
import { HushError } from '../../shared/errors/index.js';
import { FEATURE_COUNT, FEATURE_WINDOWS, RATE_PRIOR, TIME_CAP_SECONDS, UNKNOWN_SENTINEL } from './feature-schema.js';
import { OBSERVE_LUA, OUTCOME_LUA } from './feature-store-lua.js';

const DAY_MS = 86_400_000;

/** Options of {@link FeatureStore}. */
export interface FeatureStoreOptions {
  /** Connection the store runs its scripts on (shared with other components is fine). */
  redis: Redis;
  /**
   * First segment of every key: `<prefix>:{tenant}:…`.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
  /**
   * How long the per-alert record (stored vector, rule, outcome) lives; retries and outcomes later than
   * this see no record.
   * @defaultValue 7 days
   */
  alertRecordTtlMs?: number;
  /**
   * TTL of windowed and per-fingerprint state: a key lives at least this long after its last write (the
   * TTL is set to this plus an hour and refreshed by each process at least once an hour and every
   * {@link UPKEEP_EVERY} writes; windows are also trimmed by event time, so this only bounds memory of
   * series that went quiet).
   * @defaultValue 8 days
   */
  stateTtlMs?: number;
  /**
   * TTL of a rule's outcome sets, refreshed on every outcome (wall clock: only frees the memory of rules
   * that stopped getting feedback; which outcomes count is fixed by the schema's feedback window).
   * @defaultValue 90 days
   */
  feedbackTtlMs?: number;
  /**
   * How late (event time) an alert may arrive and still be counted against complete windows: each sorted
   * set keeps its longest window plus this behind its newest event.
   * @defaultValue 15 minutes
   */
  allowedLatenessMs?: number;
  /**
   * Upper bound on members of any one sorted set (oldest dropped first); counts saturate there.
   * @defaultValue 10000
   */
  maxSetSize?: number;
  /**
   * Most members one script examines when correcting for out-of-order arrival.
   * @defaultValue 256
   */
  lateScanLimit?: number;
}

/** Result of {@link FeatureStore.recordOutcome}. */
export type RecordOutcomeResult = 'recorded' | 'changed' | 'unchanged' | 'unknown-alert';

const DEFAULTS = {
  keyPrefix: 'hush',
  alertRecordTtlMs: 7 * DAY_MS,
  stateTtlMs: 8 * DAY_MS,
  feedbackTtlMs: 90 * DAY_MS,
  allowedLatenessMs: 15 * 60_000,
  maxSetSize: 10_000,
  lateScanLimit: 256,
} satisfies Omit<Required<FeatureStoreOptions>, 'redis'>;

type Settings = typeof DEFAULTS & { redis: Redis };

interface ScriptCommands {
  hushObserveV2(...args: (string | number)[]): Promise<[string, number]>;
  hushOutcomeV2(...args: (string | number)[]): Promise<string>;
}

/** A process refreshes the TTL of a hot key at least once per wall-clock hour… */
const UPKEEP_PERIOD_MS = 3_600_000;
/** …and every this many writes (new keys get their TTL in the script). */
const UPKEEP_EVERY = 16;

/** True for the zero-length vector {@link FeatureStore.observe} returns for a resolved alert. */
export function isNoDecision(vector: Float32Array): boolean {
  return vector.length === 0;
}

/**
 * Event-time feature state in Redis (DESIGN §6): turns alerts into feature vectors of
 * `feature-schema.ts`, exactly once per (tenant, id, status).
 */
export class FeatureStore {
  private readonly settings: Settings;
  /** Writes per hot key by this process in the current upkeep period (the first and every Nth refresh its TTL). */
  private upkeepWrites = new Map<string, number>();
  private upkeepPeriod = -1;

  constructor(options: FeatureStoreOptions) {
    this.settings = { ...DEFAULTS, ...stripUndefined(options) } as Settings;
    const s = this.settings;
    for (const name of ['alertRecordTtlMs', 'stateTtlMs', 'feedbackTtlMs', 'maxSetSize', 'lateScanLimit'] as const) {
      if (!Number.isInteger(s[name]) || s[name] <= 0) {
        throw new HushError('HUSH_ERR_CONFIG', `FeatureStore option ${name} must be a positive integer, got ${String(s[name])}`);
      }
    }
    if (!Number.isInteger(s.allowedLatenessMs) || s.allowedLatenessMs < 0) {
      throw new HushError('HUSH_ERR_CONFIG', `FeatureStore option allowedLatenessMs must be a non-negative integer, got ${String(s.allowedLatenessMs)}`);
    }
    if (!/^[A-Za-z0-9_-]+$/.test(s.keyPrefix)) {
      throw new HushError('HUSH_ERR_CONFIG', `FeatureStore option keyPrefix must match [A-Za-z0-9_-]+, got ${JSON.stringify(s.keyPrefix)}`);
    }
    if (s.redis === undefined || s.redis === null) {
      throw new HushError('HUSH_ERR_CONFIG', 'FeatureStore option redis is required');
    }
    // defineCommand sends EVALSHA and falls back to EVAL once per connection: one round trip either way.
    s.redis.defineCommand('hushObserveV2', { lua: OBSERVE_LUA, numberOfKeys: 1 });
    s.redis.defineCommand('hushOutcomeV2', { lua: OUTCOME_LUA, numberOfKeys: 1 });
  }

  /**
   * Updates state with a batch of alerts (in order, one pipelined round trip) and returns one vector per
   * alert: the features of a firing alert, a zero-length vector for a resolved one. Replaying an alert
   * returns the vector of its first observation and changes nothing.
   */
  async observe(alerts: readonly Alert[]): Promise<Float32Array[]> {
    if (alerts.length === 0) return [];
    const period = Math.floor(Date.now() / UPKEEP_PERIOD_MS);
    if (period !== this.upkeepPeriod) {
      this.upkeepPeriod = period;
      this.upkeepWrites = new Map();
    }
    // Upkeep flags are counted as written only once the script ran for real (not a replay), so a key
    // whose flagged write was a replay is flagged again next time.
    const pending = new Map<string, number>();
    const calls = alerts.map((alert, index) => this.observeArgs(alert, index, pending));
    const commit = (replies: [string, number][]): void => {
      for (const [key, index] of pending) {
        if (replies[index]?.[1] === 0) this.upkeepWrites.set(key, 1);
      }
    };
    if (alerts.length === 1) {
      const reply = await (this.settings.redis as unknown as ScriptCommands).hushObserveV2(...(calls[0] as (string | number)[]));
      commit([reply]);
      return [decodeReply(reply)];
    }
    const pipeline = this.settings.redis.pipeline();
    for (const args of calls) {
      (pipeline as unknown as Record<'hushObserveV2', (...args: (string | number)[]) => ChainableCommander>).hushObserveV2(...args);
    }
    const results = await pipeline.exec();
    if (results === null) throw new HushError('HUSH_ERR_UNAVAILABLE', 'Redis discarded the feature pipeline');
    const replies = results.map(([error, reply]) => {
      if (error) throw new HushError('HUSH_ERR_UNAVAILABLE', `feature store script failed: ${error.message}`, { cause: error });
      return reply as [string, number];
    });
    commit(replies);
    return replies.map(decodeReply);
  }

  /** Upkeep flag of a hot key for the alert at `index` of a batch ('1': refresh its TTL). */
  private upkeepFlag(key: string, index: number, pending: Map<string, number>): string {
    if (pending.has(key)) return '0';
    const writes = this.upkeepWrites.get(key);
    if (writes === undefined || writes >= UPKEEP_EVERY) {
      pending.set(key, index);
      return '1';
    }
    this.upkeepWrites.set(key, writes + 1);
    return '0';
  }

  /**
   * Records an outcome for the rule (name + service) of the alert it refers to, at its event time `at`
   * (epoch ms): alerts of that rule starting after `at` count it, whenever they are scored. Without `at`
   * it counts from the alert's own startsAt. Idempotent; a changed outcome moves to the other kind.
   */
  async recordOutcome(tenant: string, alertId: string, outcome: OutcomeKind, at?: number): Promise<RecordOutcomeResult> {
    if (at !== undefined && !Number.isFinite(at)) {
      throw new HushError('HUSH_ERR_VALIDATION', `outcome time must be finite epoch milliseconds, got ${String(at)}`);
    }
    const member = encodeURIComponent(alertId);
    const key = this.key(tenant, `alert:${member}`);
    const s = this.settings;
    const reply = await (s.redis as unknown as ScriptCommands).hushOutcomeV2(
      key,
      outcome,
      s.feedbackTtlMs,
      at === undefined ? '' : Math.trunc(at),
      FEATURE_WINDOWS.ruleFeedback,
      s.allowedLatenessMs,
      member,
    );
    return reply as RecordOutcomeResult;
  }

  /**
   * What the store holds for each alert: whether it was scored (firing), and the outcome recorded for it. Lets a
   * replay deliver outcomes in event time without waiting for the rest of the fleet's work.
   */
  async alertStates(tenant: string, alertIds: readonly string[]): Promise<{ observed: boolean; outcome: OutcomeKind | null }[]> {
    if (alertIds.length === 0) return [];
    const pipeline = this.settings.redis.pipeline();
    for (const id of alertIds) pipeline.hmget(this.key(tenant, `alert:${encodeURIComponent(id)}`), 'v', 'o');
    const results = (await pipeline.exec()) ?? [];
    return alertIds.map((_, i) => {
      const [error, reply] = results[i] ?? [new Error('no reply'), null];
      if (error) throw new HushError('HUSH_ERR_UNAVAILABLE', `feature store read failed: ${error.message}`, { cause: error });
      // Observed = scored as a firing alert (what an outcome needs): a resolve alone does not count.
      const [vector, outcome] = reply as (string | null)[];
      return { observed: vector !== null && vector !== undefined, outcome: (outcome ?? null) as OutcomeKind | null };
    });
  }

  private key(tenant: string, rest: string): string {
    return `${this.tenantPrefix(tenant)}${rest}`;
  }

  /** `<keyPrefix>:{tenant}:`, the start of every key of the tenant. */
  private tenantPrefix(tenant: string): string {
    if (!TENANT_PATTERN.test(tenant)) {
      throw new HushError('HUSH_ERR_VALIDATION', `tenant ${JSON.stringify(tenant)} does not match ${String(TENANT_PATTERN)}`);
    }
    return `${this.settings.keyPrefix}:{${tenant}}:`;
  }

  private observeArgs(alert: Alert, index: number, pending: Map<string, number>): (string | number)[] {
    const s = this.settings;
    const prefix = this.tenantPrefix(alert.tenant);
    const id = encodeURIComponent(alert.id);
    const fp = encodeURIComponent(alert.fingerprint);
    const name = encodeURIComponent(alert.name);
    const service = encodeURIComponent(alert.service);
    const source = encodeURIComponent(alert.source);
    const startsAt = Math.trunc(alert.startsAt);
    const resolveAt = alert.status === 'resolved' ? Math.trunc(alert.endsAt ?? alert.startsAt) : startsAt;
    // A resolve whose endsAt is its startsAt says nothing about the duration (−1: unknown, unless the firing is on record).
    const durationMs = alert.status === 'resolved' && alert.endsAt !== null && alert.endsAt > alert.startsAt ? Math.trunc(alert.endsAt - alert.startsAt) : -1;
    return [
      `${prefix}alert:${id}`,
      alert.status,
      id,
      startsAt,
      resolveAt,
      durationMs,
      alert.severity === 'critical' || alert.severity === 'error' ? '1' : '0',
      fp,
      prefix,
      alert.status === 'firing' ? encodeStatic(alert) : '',
      s.alertRecordTtlMs,
      s.stateTtlMs + UPKEEP_PERIOD_MS,
      s.allowedLatenessMs,
      s.maxSetSize,
      s.lateScanLimit,
      alert.status === 'firing' ? this.upkeepFlags(prefix, fp, name, service, source, index, pending) : '',
      name,
      service,
      source,
    ];
  }

  /**
   * Upkeep flags of a firing alert, in the script's order: one per group of hot keys whose writes are counted
   * together (fire set and summary of the fingerprint, fingerprints and severe sets of the service), each
   * group named by its keys' common part.
   */
  private upkeepFlags(prefix: string, fp: string, name: string, service: string, source: string, index: number, pending: Map<string, number>): string {
    const dup = `${prefix}dup:${name}|${service}`;
    return (
      this.upkeepFlag(`${prefix}fp:${fp}:`, index, pending) +
      this.upkeepFlag(`${prefix}rule:${name}`, index, pending) +
      this.upkeepFlag(`${prefix}svc:${service}:`, index, pending) +
      this.upkeepFlag(`${prefix}firing`, index, pending) +
      this.upkeepFlag(dup, index, pending) +
      this.upkeepFlag(`${dup}|${source}`, index, pending)
    );
  }
}

/** Features that depend on the alert alone, in vector order; stored with the record so replays match. */
function encodeStatic(alert: Alert): string {
  const hour = (((alert.startsAt % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
  const angle = (2 * Math.PI * hour) / 24;
  const weekday = new Date(alert.startsAt).getUTCDay();
  const hasValue = alert.value !== null && Number.isFinite(alert.value);
  const values = [
    alert.severity === 'critical' ? 1 : 0,
    alert.severity === 'error' ? 1 : 0,
    alert.severity === 'warning' ? 1 : 0,
    alert.severity === 'info' ? 1 : 0,
    Math.sin(angle),
    Math.cos(angle),
    weekday === 0 || weekday === 6 ? 1 : 0,
    Object.keys(alert.labels).length,
    hasValue ? Math.log1p(Math.abs(alert.value as number)) : 0,
    hasValue ? 1 : 0,
  ];
  return values.map((value) => String(Math.fround(value))).join(',');
}

function logTime(ms: number): number {
  if (ms === -1) return UNKNOWN_SENTINEL;
  if (ms === -2) return Math.log1p(TIME_CAP_SECONDS);
  return Math.log1p(Math.min(Math.max(ms, 0) / 1000, TIME_CAP_SECONDS));
}

function decodeReply(reply: [string, number]): Float32Array {
  const stored = reply[0];
  if (stored === '') return new Float32Array(0);
  const [staticPart = '', rawPart = ''] = stored.split('|');
  const st = staticPart.split(',').map(Number);
  const [fp1, fp24, flaps, sincePrev, prevDuration, rule1, rule24, svc5, svc30, severe, tenant, dup, actionable, noise] = rawPart
    .split(',')
    .map(Number) as number[];
  const a = actionable ?? 0;
  const n = noise ?? 0;
  const values = [
    st[0], st[1], st[2], st[3], st[4], st[5], st[6],
    fp1, fp24, flaps, logTime(sincePrev ?? -1), logTime(prevDuration ?? -1),
    rule1, rule24, svc5, svc30, severe, tenant, dup,
    st[7], st[8], st[9],
    (a + RATE_PRIOR.actionable) / (a + n + RATE_PRIOR.actionable + RATE_PRIOR.noise),
    Math.log1p(a + n),
  ];
  const vector = new Float32Array(FEATURE_COUNT);
  for (let i = 0; i < FEATURE_COUNT; i += 1) {
    const value = values[i];
    if (value === undefined || Number.isNaN(value)) {
      throw new HushError('HUSH_ERR_INTERNAL', `stored feature record is malformed at index ${i}: ${JSON.stringify(stored)}`);
    }
    vector[i] = value;
  }
  return vector;
}

function stripUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
