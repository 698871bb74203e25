import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { ChampionStore, MODELS_CHANGED_CHANNEL } from './champion-store.js';

/** A challenger deciding for a share of a tenant's services (its canary stage). */
export interface Canary {
  /** The challenger the share belongs to; the canary lapses as soon as another model is the challenger. */
  modelId: string;
  /** Share of services in [0, 1] whose alerts the challenger decides (see `inCanary`). */
  share: number;
}

/** Options of {@link CanaryStore}. */
export interface CanaryStoreOptions {
  /** Connection for reads, writes and the change notice. */
  redis: Redis;
  /**
   * First segment of the hash key `<prefix>:{tenant}:canary:<kind>`; must be the pointers' prefix.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
}

// Sets the share only while ARGV[1] is the challenger (KEYS[2]), so a promotion or rejection racing with
// the request cannot leave a canary behind for a model that no longer is one. Returns the previous share
// of that model ('0' when it had none), or nil when it is not the challenger. Both keys carry the
// tenant's hash tag.
const SET_IF_CHALLENGER = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
local previous = '0'
if redis.call('HGET', KEYS[1], 'model') == ARGV[1] then previous = redis.call('HGET', KEYS[1], 'share') or '0' end
if tonumber(ARGV[2]) == 0 then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'model', ARGV[1], 'share', ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return previous`;

/**
 * The canary share per (tenant, model kind) in the Redis hash `<prefix>:{tenant}:canary:<kind>`, beside
 * the champion and challenger pointers; changes are announced on the pointers' channel.
 */
export class CanaryStore {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly challengers: ChampionStore;

  constructor(options: CanaryStoreOptions) {
    if (options.redis === undefined || options.redis === null) throw new HushError('HUSH_ERR_CONFIG', 'CanaryStore option redis is required');
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'hush';
    this.challengers = new ChampionStore({ redis: options.redis, keyPrefix: this.keyPrefix, slot: 'challenger' });
  }

  /** Redis key of the canary hash (validates tenant and kind). */
  canaryKey(tenant: string, kind: string): string {
    this.challengers.championKey(tenant, kind);
    return `${this.keyPrefix}:{${tenant}}:canary:${kind}`;
  }

  /** The canary as stored, or null when none is set (a stored share that is not in (0, 1] reads as none). */
  async getCanary(tenant: string, kind: string): Promise<Canary | null> {
    const { model, share } = await this.redis.hgetall(this.canaryKey(tenant, kind));
    const value = Number(share);
    if (model === undefined || model === '' || !isShare(value) || value === 0) return null;
    return { modelId: model, share: value };
  }

  /**
   * Sets the share of `modelId` (0 ends its canary) if it is the current challenger, and tells every
   * replica. Resolves with the model's previous share, or null (nothing changed) when it is not the
   * challenger.
   */
  async setCanary(tenant: string, kind: string, modelId: string, share: number): Promise<number | null> {
    if (!isShare(share)) throw new HushError('HUSH_ERR_VALIDATION', `share must be a number within [0, 1], got ${String(share)}`);
    const previous = await this.redis.eval(
      SET_IF_CHALLENGER,
      2,
      this.canaryKey(tenant, kind),
      this.challengers.championKey(tenant, kind),
      modelId,
      String(share),
      MODELS_CHANGED_CHANNEL,
      tenant,
    );
    return previous === null ? null : Number(previous);
  }

  /** Ends whatever canary (tenant, kind) has and tells every replica. */
  async clearCanary(tenant: string, kind: string): Promise<void> {
    await this.redis.multi().del(this.canaryKey(tenant, kind)).publish(MODELS_CHANGED_CHANNEL, tenant).exec();
  }
}

function isShare(value: number): boolean {
  return Number.isFinite(value) && value >= 0 && value <= 1;
}
