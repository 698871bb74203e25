import type { Redis } from 'ioredis';
import { TENANT_PATTERN } from '../../schemas/alert.js';
import { HushError } from '../errors/index.js';
import { MODEL_KIND_PATTERN } from '../../schemas/model-kind.js';

/** Channel on which every change to a tenant's champion (or thresholds) is announced; message = tenant. */
export const MODELS_CHANGED_CHANNEL = 'hush:models:changed';

/** The model kind scoring serves unless told otherwise. */
export const DEFAULT_MODEL_KIND = 'noise';


/**
 * Which pointer a store serves: the `champion` decides; a `challenger` is scored in shadow beside it
 * (DESIGN §1) until evaluation promotes or rejects it.
 */
export type ModelSlot = 'champion' | 'challenger';

/** Options of {@link ChampionStore}. */
export interface ChampionStoreOptions {
  /** Connection for pointer reads, writes and the change notice. */
  redis: Redis;
  /**
   * First segment of the pointer key `<prefix>:{tenant}:champion:<kind>`.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
  /**
   * The pointer this store reads and writes: `<prefix>:{tenant}:<slot>:<kind>`.
   * @defaultValue `'champion'`
   */
  slot?: ModelSlot;
}

/** The champion (or challenger) pointer per (tenant, model kind) in Redis (DESIGN §6). */
export class ChampionStore {
  private readonly redis: Redis;
  private readonly keyPrefix: string;
  private readonly slot: ModelSlot;

  constructor(options: ChampionStoreOptions) {
    if (options.redis === undefined || options.redis === null) {
      throw new HushError('HUSH_ERR_CONFIG', 'ChampionStore option redis is required');
    }
    this.redis = options.redis;
    this.keyPrefix = options.keyPrefix ?? 'hush';
    this.slot = options.slot ?? 'champion';
    if (this.slot !== 'champion' && this.slot !== 'challenger') {
      throw new HushError('HUSH_ERR_CONFIG', `ChampionStore option slot must be champion or challenger, got ${String(options.slot)}`);
    }
  }

  /** Redis key of the pointer. */
  championKey(tenant: string, kind: string): string {
    if (!TENANT_PATTERN.test(tenant)) {
      throw new HushError('HUSH_ERR_VALIDATION', `tenant ${JSON.stringify(tenant)} does not match ${String(TENANT_PATTERN)}`);
    }
    if (!MODEL_KIND_PATTERN.test(kind)) {
      throw new HushError('HUSH_ERR_VALIDATION', `model kind ${JSON.stringify(kind)} does not match ${String(MODEL_KIND_PATTERN)}`);
    }
    return `${this.keyPrefix}:{${tenant}}:${this.slot}:${kind}`;
  }

  /**
   * Points (tenant, kind) at `modelId` — promotion and rollback alike — and tells every scoring replica,
   * atomically (MULTI: SET + PUBLISH).
   */
  async setChampion(tenant: string, kind: string, modelId: string): Promise<void> {
    if (modelId.length === 0) throw new HushError('HUSH_ERR_VALIDATION', 'modelId must not be empty');
    const results = await this.redis.multi().set(this.championKey(tenant, kind), modelId).publish(MODELS_CHANGED_CHANNEL, tenant).exec();
    const failure = results?.find(([error]) => error !== null)?.[0];
    if (results === null || failure) {
      throw new HushError('HUSH_ERR_UNAVAILABLE', `could not set the champion of ${tenant}/${kind}`, { cause: failure ?? undefined });
    }
  }

  /** The champion's model id, or null when the tenant has none yet (cold start). */
  async getChampion(tenant: string, kind: string): Promise<string | null> {
    return this.redis.get(this.championKey(tenant, kind));
  }

  /** Removes the pointer (back to cold start) and tells every replica. */
  async clearChampion(tenant: string, kind: string): Promise<void> {
    await this.redis.multi().del(this.championKey(tenant, kind)).publish(MODELS_CHANGED_CHANNEL, tenant).exec();
  }
}
