import type { Redis } from 'ioredis';
import type { Alert } from '../../schemas/alert.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import { type PagerDutyAlert, pagerDutyFingerprint } from '../../schemas/pagerduty.js';

/** Options of {@link PagerDutyDedup}. */
export interface PagerDutyDedupOptions {
  redis: Redis;
  /** Prefix of the Redis keys, `<keyPrefix>:{tenant}:pagerduty:<hash of the dedup_key>`. @defaultValue `hush` */
  keyPrefix?: string;
  /** How long a dedup_key is remembered after its last trigger or resolve. @defaultValue 7 days */
  ttlMs?: number;
}

const DEFAULTS = { keyPrefix: 'hush', ttlMs: 7 * 24 * 3_600_000 };

// The record is "<startsAt>" while the alert is open and "<startsAt>:<endsAt>" once resolved, followed by
// "/<fingerprint>" when the alert's series is not the key's own (a trigger without a dedup_key, recorded
// under its id: a resolve naming that id must close the alert of the trigger's series). A trigger joins the
// open alert (refreshing its TTL) or opens a new one; a resolve closes the open alert, repeats the closed
// one (a retried resolve), or, with nothing on record, stands alone at its own time.
const PAIR_LUA = `
local rec = redis.call('GET', KEYS[1])
local startsAt, endsAt
local series = ''
if rec then
  local slash = string.find(rec, '/', 1, true)
  if slash then series, rec = string.sub(rec, slash + 1), string.sub(rec, 1, slash - 1) end
  local sep = string.find(rec, ':', 1, true)
  if sep then startsAt, endsAt = string.sub(rec, 1, sep - 1), string.sub(rec, sep + 1) else startsAt = rec end
end
local function seriesSuffix() if series == '' then return '' end return '/' .. series end
if ARGV[1] == 'firing' then
  if startsAt and not endsAt then
    redis.call('PEXPIRE', KEYS[1], ARGV[3])
    return {startsAt, '', series}
  end
  series = ARGV[4]
  redis.call('SET', KEYS[1], ARGV[2] .. seriesSuffix(), 'PX', ARGV[3])
  return {ARGV[2], '', series}
end
if not startsAt then startsAt = ARGV[2] end
if not endsAt then
  endsAt = ARGV[2]
  if tonumber(endsAt) < tonumber(startsAt) then endsAt = startsAt end
  redis.call('SET', KEYS[1], startsAt .. ':' .. endsAt .. seriesSuffix(), 'PX', ARGV[3])
end
return {startsAt, endsAt, series}
`;

/** A PagerDuty event's alert, paired with its dedup_key's history, and the dedup_key that names it. */
export interface PairedEvent {
  alert: Alert;
  /** The event's dedup_key or, for a trigger without one, the alert id: a `resolve` with it closes the alert. */
  dedupKey: string;
}

/**
 * PagerDuty's dedup_key semantics for the gateway: while an alert is open, a trigger with its dedup_key
 * is the same alert (same id, its first startsAt), and the resolve closes that alert (same id, endsAt =
 * resolve time). Triggers without a dedup_key are each a new alert, as in PagerDuty, and their id is
 * their dedup_key from then on (PagerDuty answers such a trigger with a key it generates).
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
  async pair({ alert, dedupKey }: PagerDutyAlert): Promise<PairedEvent> {
    // Without a dedup_key the alert keeps its label fingerprint (its series' history stays one series for
    // scoring), and the record under its id's key keeps that fingerprint for the resolve.
    const key = dedupKey ?? alert.id;
    const series = dedupKey === null ? alert.fingerprint : '';
    const at = alert.status === 'firing' ? alert.startsAt : (alert.endsAt ?? alert.startsAt);
    const recordKey = `${this.keyPrefix}:{${alert.tenant}}:pagerduty:${pagerDutyFingerprint(key)}`;
    const [startsAtText, endsAtText, recorded] = (await this.redis.eval(PAIR_LUA, 1, recordKey, alert.status, at, this.ttlMs, series)) as [string, string, string];
    const startsAt = Number(startsAtText);
    const fingerprint = recorded === '' ? alert.fingerprint : recorded;
    const endsAt = alert.status === 'resolved' ? Number(endsAtText) : null;
    return { alert: { ...alert, fingerprint, id: computeAlertId(fingerprint, startsAt), startsAt, endsAt }, dedupKey: key };
  }
}
