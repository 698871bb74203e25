import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import { msPart, toDateTime, type ModelRow } from '../clickhouse/rows.js';
import { sqlString } from '../clickhouse/sql-escape.js';
import { CanaryStore, type Canary } from './canary-store.js';
import { ChampionStore } from './champion-store.js';

/** A model to register: the artifact and everything DESIGN §6 says it carries. */
export interface ModelRegistration {
  tenant: string;
  kind: string;
  /** `gbdt`, `mlp`, … */
  family: string;
  onnx: Uint8Array;
  featureSchemaVersion: number;
  nFeatures: number;
  /** Holdout metrics, hyper-parameters and anything else worth keeping (stored as JSON). */
  metrics: Record<string, unknown>;
  /** Event-time span of the training data, epoch ms. */
  trainingWindow: { start: number; end: number };
  datasetHash: string;
  referenceProfile: unknown;
}

/** A registered model as listed (without its artifact). */
export interface ModelSummary {
  modelId: string;
  kind: string;
  version: number;
  createdAt: string;
  featureSchemaVersion: number;
  metrics: Record<string, unknown>;
  trainingWindow: { start: string; end: string };
  datasetHash: string;
  champion: boolean;
}

/** A registry event: what changed, why, and on what evidence. */
export interface ModelEvent {
  at: string;
  action: 'register' | 'promote' | 'rollback' | 'reject' | 'canary' | 'recertify';
  modelId: string;
  previousModelId: string;
  reason: string;
  evidence: Record<string, unknown>;
}

/** Result of {@link ModelRegistry.promote} and {@link ModelRegistry.rollback}. */
export interface ChampionChange {
  previous: string | null;
  current: string | null;
}

/** The champion pointer's move in a promotion or rollback: its Redis key, the model it names and the one it is to name (null: none, cold start). */
export interface PointerMove {
  key: string;
  value: string | null;
  next: string | null;
}

/**
 * Makes the move of {@link ModelRegistry.promote} or {@link ModelRegistry.rollback} together with what the
 * incoming model needs in force (its thresholds), in one step that changes nothing and throws
 * `HUSH_ERR_CONFLICT` unless the pointer still names `move.value`. Throwing leaves the champion as it was.
 */
export type Flip = (move: PointerMove, history: readonly ModelEvent[]) => Promise<void>;

/** Result of {@link ModelRegistry.setCanary}: the challenger's share of services before and after. */
export interface CanaryChange {
  modelId: string;
  previousShare: number;
  share: number;
}

interface EventRow {
  at: string;
  at_ms: number;
  action: ModelEvent['action'];
  model_id: string;
  previous_model_id: string;
  reason: string;
  evidence: string;
}

/**
 * The model registry (DESIGN §6): artifacts and their history in ClickHouse (`models`, `model_events`),
 * the champion pointer in Redis. Promotion and rollback flip the pointer (every scoring replica hears
 * of it at once) and record the change with its reason and evidence.
 */
export class ModelRegistry {
  private readonly champions: ChampionStore;
  private readonly challengers: ChampionStore;
  private readonly canaries: CanaryStore;

  constructor(
    private readonly clickhouse: ClickHouseClient,
    private readonly redis: Redis,
    private readonly keyPrefix = 'hush',
  ) {
    this.champions = new ChampionStore({ redis, keyPrefix });
    this.challengers = new ChampionStore({ redis, keyPrefix, slot: 'challenger' });
    this.canaries = new CanaryStore({ redis, keyPrefix });
  }

  /**
   * Stores the artifact under the next version of (tenant, kind), records the registration and makes it
   * the challenger: every scoring replica scores it in shadow from now on (replacing an older challenger
   * and ending its canary).
   */
  async register(model: ModelRegistration): Promise<{ modelId: string; version: number }> {
    this.champions.championKey(model.tenant, model.kind); // validates tenant and kind before they reach a key
    const versionKey = `${this.keyPrefix}:{${model.tenant}}:model-version:${model.kind}`;
    const version = await this.redis.incr(versionKey);
    const modelId = `${model.kind}-v${version}-${model.family}`;
    const now = Date.now();
    const row: ModelRow = {
      tenant: model.tenant,
      model_id: modelId,
      kind: model.kind,
      version,
      feature_schema_version: model.featureSchemaVersion,
      n_features: model.nFeatures,
      created_at: toDateTime(now),
      artifact: Buffer.from(model.onnx).toString('base64'),
      metrics: JSON.stringify({ family: model.family, ...model.metrics }),
      training_window_start: toDateTime(model.trainingWindow.start, 'trainingWindow.start'),
      training_window_end: toDateTime(model.trainingWindow.end, 'trainingWindow.end'),
      dataset_hash: model.datasetHash,
      reference_profile: JSON.stringify(model.referenceProfile),
    };
    await this.clickhouse.insert({ table: 'models', values: [row], format: 'JSONEachRow' });
    await this.record(model.tenant, model.kind, 'register', modelId, '', `trained ${model.family} on ${model.datasetHash.slice(0, 12)}`, {});
    await this.canaries.clearCanary(model.tenant, model.kind);
    await this.challengers.setChampion(model.tenant, model.kind, modelId);
    return { modelId, version };
  }

  /** Every model of (tenant, kind), newest first. */
  async list(tenant: string, kind: string): Promise<ModelSummary[]> {
    const champion = await this.champions.getChampion(tenant, kind);
    const result = await this.clickhouse.query({
      query: `SELECT model_id, kind, version, created_at, feature_schema_version, metrics, training_window_start, training_window_end, dataset_hash
        FROM models FINAL WHERE tenant = ${sqlString(tenant)} AND kind = ${sqlString(kind)} ORDER BY version DESC`,
      format: 'JSONEachRow',
    });
    const rows = await result.json<Omit<ModelRow, 'artifact' | 'reference_profile' | 'tenant' | 'n_features'>>();
    return rows.map((row) => ({
      modelId: row.model_id,
      kind: row.kind,
      version: Number(row.version),
      createdAt: row.created_at,
      featureSchemaVersion: Number(row.feature_schema_version),
      metrics: JSON.parse(row.metrics) as Record<string, unknown>,
      trainingWindow: { start: row.training_window_start, end: row.training_window_end },
      datasetHash: row.dataset_hash,
      champion: row.model_id === champion,
    }));
  }

  /** The registry history of (tenant, kind), oldest first. */
  async history(tenant: string, kind: string): Promise<ModelEvent[]> {
    const result = await this.clickhouse.query({
      query: `SELECT at, at_ms, action, model_id, previous_model_id, reason, evidence FROM model_events FINAL
        WHERE tenant = ${sqlString(tenant)} AND kind = ${sqlString(kind)} ORDER BY at, at_ms, event_id`,
      format: 'JSONEachRow',
    });
    return (await result.json<EventRow>()).map((row) => ({
      at: `${row.at.replace(' ', 'T')}.${String(row.at_ms).padStart(3, '0')}Z`,
      action: row.action,
      modelId: row.model_id,
      previousModelId: row.previous_model_id,
      reason: row.reason,
      evidence: JSON.parse(row.evidence) as Record<string, unknown>,
    }));
  }

  /** The current champion's id, or null at cold start. */
  champion(tenant: string, kind: string): Promise<string | null> {
    return this.champions.getChampion(tenant, kind);
  }

  /** The Redis key holding the champion's id, for writes that must happen only while it holds one model. */
  championKey(tenant: string, kind: string): string {
    return this.champions.championKey(tenant, kind);
  }

  /** The challenger scored in shadow, or null when none is pending. */
  challenger(tenant: string, kind: string): Promise<string | null> {
    return this.challengers.getChampion(tenant, kind);
  }

  /** The challenger's canary, or null when the challenger (if any) only scores in shadow. */
  async canary(tenant: string, kind: string): Promise<Canary | null> {
    const [canary, challenger] = await Promise.all([this.canaries.getCanary(tenant, kind), this.challengers.getChampion(tenant, kind)]);
    return canary !== null && canary.modelId === challenger ? canary : null;
  }

  /**
   * Lets the challenger `modelId` decide for `share` of the tenant's services (0 ends its canary; the
   * champion scores those services in shadow) and records the stage with its reason.
   */
  async setCanary(tenant: string, kind: string, modelId: string, share: number, reason: string, evidence: Record<string, unknown> = {}): Promise<CanaryChange> {
    if (!(await this.exists(tenant, kind, modelId))) {
      throw new HushError('HUSH_ERR_NOT_FOUND', `tenant ${tenant} has no ${kind} model ${JSON.stringify(modelId)}`);
    }
    const previousShare = await this.canaries.setCanary(tenant, kind, modelId, share);
    if (previousShare === null) {
      const challenger = await this.challengers.getChampion(tenant, kind);
      throw new HushError(
        'HUSH_ERR_CONFLICT',
        `${modelId} is not the challenger of ${tenant}/${kind} (${challenger === null ? 'there is none' : `it is ${challenger}`}); only the challenger can run a canary`,
      );
    }
    await this.record(tenant, kind, 'canary', modelId, '', reason, { ...evidence, share, previousShare });
    return { modelId, previousShare, share };
  }

  /** Records that evaluation turned `modelId` down and stops scoring it in shadow (ending its canary). */
  async reject(tenant: string, kind: string, modelId: string, reason: string, evidence: Record<string, unknown> = {}): Promise<void> {
    await this.record(tenant, kind, 'reject', modelId, '', reason, evidence);
    if ((await this.challengers.getChampion(tenant, kind)) === modelId) await this.retireChallenger(tenant, kind);
  }

  /**
   * Records that the champion `modelId` now serves with re-certified thresholds (a scheduled re-tuning, no
   * challenger involved); no pointer moves. The evidence holds them under `recertified`, with `modelId`.
   */
  async recertify(tenant: string, kind: string, modelId: string, reason: string, evidence: Record<string, unknown>): Promise<void> {
    await this.record(tenant, kind, 'recertify', modelId, '', reason, evidence);
  }

  /**
   * Makes `modelId` the champion of (tenant, kind); a promoted challenger's canary ends. `flip` moves the
   * pointer (see rollback); without it the pointer is set unconditionally.
   */
  async promote(tenant: string, kind: string, modelId: string, reason: string, evidence: Record<string, unknown> = {}, flip?: Flip): Promise<ChampionChange> {
    if (!(await this.exists(tenant, kind, modelId))) {
      throw new HushError('HUSH_ERR_NOT_FOUND', `tenant ${tenant} has no ${kind} model ${JSON.stringify(modelId)}`);
    }
    const previous = await this.champions.getChampion(tenant, kind);
    if (flip === undefined) await this.champions.setChampion(tenant, kind, modelId);
    else await flip({ key: this.championKey(tenant, kind), value: previous, next: modelId }, await this.history(tenant, kind));
    if ((await this.challengers.getChampion(tenant, kind)) === modelId) await this.retireChallenger(tenant, kind);
    await this.record(tenant, kind, 'promote', modelId, previous ?? '', reason, evidence);
    return { previous, current: modelId };
  }

  /**
   * Flips the champion back to the one the current champion replaced (cold start when there was
   * none). The champions form a stack: promotion pushes, rollback pops, so rolling back twice goes two
   * promotions back rather than toggling. `flip` moves the pointer; without it the pointer is set unconditionally.
   */
  async rollback(tenant: string, kind: string, reason: string, evidence: Record<string, unknown> = {}, flip?: Flip): Promise<ChampionChange> {
    const current = await this.champions.getChampion(tenant, kind);
    if (current === null) throw new HushError('HUSH_ERR_NOT_FOUND', `tenant ${tenant} has no ${kind} champion to roll back`);
    const history = await this.history(tenant, kind);
    const stack: string[] = [];
    for (const event of history) {
      if (event.action === 'promote') stack.push(event.modelId);
      else if (event.action === 'rollback') stack.pop();
    }
    if (stack[stack.length - 1] === current) stack.pop();
    const target = stack[stack.length - 1] ?? null;
    // Thresholds and pointer in one step guarded by `current`, not one after the other: a change by hand
    // landing in between can be neither overwritten nor left serving with the wrong thresholds. And a
    // failure changes nothing, so retrying a rollback, which pops one promotion per call, rolls back once.
    if (flip !== undefined) await flip({ key: this.championKey(tenant, kind), value: current, next: target }, history);
    else if (target === null) await this.champions.clearChampion(tenant, kind);
    else await this.champions.setChampion(tenant, kind, target);
    await this.record(tenant, kind, 'rollback', target ?? '', current, reason, evidence);
    return { previous: current, current: target };
  }

  private async retireChallenger(tenant: string, kind: string): Promise<void> {
    await this.challengers.clearChampion(tenant, kind);
    await this.canaries.clearCanary(tenant, kind);
  }

  private async exists(tenant: string, kind: string, modelId: string): Promise<boolean> {
    const result = await this.clickhouse.query({
      query: `SELECT count() AS n FROM models WHERE tenant = ${sqlString(tenant)} AND kind = ${sqlString(kind)} AND model_id = ${sqlString(modelId)}`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ n: number }>();
    return Number(row?.n ?? 0) > 0;
  }

  private async record(tenant: string, kind: string, action: ModelEvent['action'], modelId: string, previousModelId: string, reason: string, evidence: Record<string, unknown>): Promise<void> {
    const now = Date.now();
    await this.clickhouse.insert({
      table: 'model_events',
      values: [{ tenant, kind, event_id: `${now}-${randomUUID()}`, at: toDateTime(now), at_ms: msPart(now), action, model_id: modelId, previous_model_id: previousModelId, reason, evidence: JSON.stringify(evidence) }],
      format: 'JSONEachRow',
    });
  }
}
