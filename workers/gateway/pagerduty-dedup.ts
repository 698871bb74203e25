import type { Redis } from 'ioredis';
import type { Alert } from '../../schemas/alert.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import type { PagerDutyAlert } from '../../schemas/pagerduty.js';

/** Options of {@link PagerDutyDedup}. */
export interface PagerDutyDedupOptions {
  redis: Redis;
  /** Prefix of the Redis keys, `<keyPrefix>:{tenant}:pagerduty:<fingerprint>`. @defaultValue `hush` */
  keyPrefix?: string;
  /** How long a dedup_key is remembered after its last trigger or resolve. @defaultValue 7 days */
  ttlMs?: number;
}

const DEFAULTS = { keyPrefix: 'hush', ttlMs: 7 * 24 * 3_600_000 };

// The record is "<startsAt>" while the alert is open and "<startsAt>:<endsAt>" once resolved. A trigger
// joins the open alert (refreshing its TTL) or opens a new one; a resolve closes the open alert, repeats
// the closed one (a retried resolve), or, with nothing on record, stands alone at its own time.
const PAIR_LUA = `
local rec = redis.call('GET', KEYS[1])
local startsAt, endsAt
if rec then
  local sep = string.find(rec, ':', 1, true)
  if sep then startsAt, endsAt = string.sub(rec, 1, sep - 1), string.sub(rec, sep + 1) else startsAt = rec end
end
if ARGV[1] == 'firing' then
  if startsAt and not endsAt then
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return {startsAt}
  end
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {ARGV[2]}
end
if not startsAt then startsAt = ARGV[2] end
if not endsAt then
  endsAt = ARGV[2]
  if tonumber(endsAt) < tonumber(startsAt) then endsAt = startsAt end
  redis.call('SET', KEYS[1], startsAt .. ':' .. endsAt, 'PX', ARGV[3])
end
return {startsAt, endsAt}
`;

/**
 * PagerDuty's dedup_key semantics for the gateway: while an alert is open, a trigger with its dedup_key
 * is the same alert (same id, its first startsAt), and the resolve closes that alert (same id, endsAt =
 * resolve time). Triggers without a dedup_key are each a new alert, as in PagerDuty.
 */
export class PagerDutyDedup {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly ttlMs: number;

  constructor(options: PagerDutyDedupOptions) {
    const { redis, keyPrefix, ttlMs } = { ...DEFAULTS, ...options };
    if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new RangeError(`PagerDutyDedup option ttlMs must be a positive integer, got ${ttlMs}`);
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.ttlMs = ttlMs;
  }

  /** The event's alert with the id, startsAt and endsAt of the alert its dedup_key has open (or had). */
  async pair({ alert, dedupKey }: PagerDutyAlert): Promise<Alert> {
    if (dedupKey === null) return alert;
    const at = alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? alert.startsAt);
    const key = `${this.keyPrefix}:{${alert.tenant}}:pagerduty:${alert.fingerprint}`;
    const [startsAt, endsAt] = ((await this.redis.eval(PAIR_LUA, 1, key, alert.status, at, this.ttlMs)) as string[]).map(Number);
    if (startsAt === undefined) return alert;
    return { ...alert, id: computeAlertId(alert.fingerprint, startsAt), startsAt, endsAt: alert.status === 'resolved' ? (endsAt ?? startsAt) : null };
  }
}
