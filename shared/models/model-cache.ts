import type { Redis } from 'ioredis';
import { coerceError, HushError } from '../errors/index.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { OnnxModel, type OnnxModelExpectations, type OnnxModelMeta } from '../onnx/onnx-model.js';
import { ChampionStore, DEFAULT_MODEL_KIND, type ModelSlot } from './champion-store.js';
import { TenantChangeFeed } from './tenant-change-feed.js';

/** Where model artifacts come from (the registry in ClickHouse in production). */
export interface ArtifactSource {
  /** The artifact of `modelId`, or null if the registry has no such model. */
  load(tenant: string, modelId: string): Promise<{ bytes: Uint8Array; meta: OnnxModelMeta } | null>;
}

/** Options of {@link ModelCache}. */
export interface ModelCacheOptions {
  /** Connection for champion pointer reads; a duplicate of it carries the subscription. */
  redis: Redis;
  /** Artifact loader. */
  artifacts: ArtifactSource;
  /** Feature schema version and width this process computes; other models are refused. */
  expected: OnnxModelExpectations;
  /**
   * Change notices to listen to; shared with other caches of the process if given, else the cache opens
   * (and closes) its own.
   * @defaultValue a new {@link TenantChangeFeed} on `redis`
   */
  changes?: TenantChangeFeed;
  /**
   * Which champion pointer to follow.
   * @defaultValue `'noise'`
   */
  kind?: string;
  /**
   * Which pointer to follow: the champion, or the challenger scored in shadow.
   * @defaultValue `'champion'`
   */
  slot?: ModelSlot;
  /**
   * Key prefix of the champion pointer.
   * @defaultValue `'hush'`
   */
  keyPrefix?: string;
  /**
   * The pointer is re-read at least this often even without a notice (a safety net for lost notices).
   * @defaultValue 30000
   */
  maxStalenessMs?: number;
  /**
   * After a failed load the previous model keeps serving and the load is retried after this long.
   * @defaultValue 5000
   */
  retryDelayMs?: number;
  /**
   * A replaced model is released this long after the flip, so scoring calls already holding it finish.
   * @defaultValue 10000
   */
  releaseDelayMs?: number;
  /**
   * Keep the model a flip replaced loaded, so that flipping back (a rollback) swaps it in at once instead
   * of loading its artifact again; costs one more model in memory per tenant.
   * @defaultValue true
   */
  keepPrevious?: boolean;
  /**
   * Where load failures are reported.
   * @defaultValue a pino logger for role `model-cache`
   */
  logger?: Pick<Logger, 'warn' | 'info'>;
}

interface Entry {
  readonly tenant: string;
  /** Bumped by every change notice. */
  generation: number;
  /** Generation the current state was read at; -1 = never. */
  checkedGeneration: number;
  checkedAt: number;
  modelId: string | null;
  model: OnnxModel | null;
  /** The model the last flip replaced, kept loaded for a flip back (`keepPrevious`). */
  previous: OnnxModel | null;
  inflight: Promise<OnnxModel | null> | undefined;
  inflightGeneration: number;
}

const NUMERIC_OPTIONS = ['maxStalenessMs', 'retryDelayMs', 'releaseDelayMs'] as const;

/**
 * Per-process cache of each tenant's champion model. A notice on the change channel makes it re-read the
 * pointer and load the new champion at once, so a promotion or rollback reaches every replica within
 * milliseconds (a rollback swaps back the model kept from the flip before); concurrent callers share one
 * in-flight load.
 */
export class ModelCache {
  private readonly options: Required<Omit<ModelCacheOptions, 'changes'>>;
  private readonly champions: ChampionStore;
  private readonly changes: TenantChangeFeed;
  private readonly ownsChanges: boolean;
  private readonly unsubscribe: () => void;
  private readonly entries = new Map<string, Entry>();
  /** Replaced models awaiting release, by their timer. */
  private readonly pendingReleases = new Map<NodeJS.Timeout, OnnxModel>();
  private closed = false;

  constructor(options: ModelCacheOptions) {
    if (options.redis === undefined || options.redis === null) throw new HushError('HUSH_ERR_CONFIG', 'ModelCache option redis is required');
    if (options.artifacts === undefined || options.artifacts === null) {
      throw new HushError('HUSH_ERR_CONFIG', 'ModelCache option artifacts is required');
    }
    if (options.expected === undefined || options.expected === null) {
      throw new HushError('HUSH_ERR_CONFIG', 'ModelCache option expected is required');
    }
    this.options = {
      kind: DEFAULT_MODEL_KIND,
      slot: 'champion',
      keyPrefix: 'hush',
      maxStalenessMs: 30_000,
      retryDelayMs: 5_000,
      releaseDelayMs: 10_000,
      keepPrevious: true,
      logger: options.logger ?? createLogger('model-cache'),
      ...withoutUndefined(options),
    } as Required<Omit<ModelCacheOptions, 'changes'>>;
    for (const name of NUMERIC_OPTIONS) {
      const value = this.options[name];
      if (!Number.isFinite(value) || value < 0) {
        throw new HushError('HUSH_ERR_CONFIG', `ModelCache option ${name} must be a non-negative number, got ${String(value)}`);
      }
    }
    this.champions = new ChampionStore({ redis: options.redis, keyPrefix: this.options.keyPrefix, slot: this.options.slot });
    this.champions.championKey('a', this.options.kind); // validates kind now, not on the first alert
    this.ownsChanges = options.changes === undefined;
    this.changes = options.changes ?? new TenantChangeFeed(options.redis);
    this.unsubscribe = this.changes.onChange((tenant) => this.invalidate(tenant));
  }

  /** Resolves once change notices are being received. */
  ready(): Promise<void> {
    return this.changes.ready();
  }

  /**
   * The tenant's champion model, or null when it has none (cold start: the caller notifies everything).
   * Never throws for a bad artifact or an unreachable Redis: the previous model (or null) keeps serving
   * and the failure is logged.
   */
  async currentModel(tenant: string): Promise<OnnxModel | null> {
    if (this.closed) throw new HushError('HUSH_ERR_INTERNAL', 'ModelCache is closed');
    let entry = this.entries.get(tenant);
    if (entry === undefined) {
      this.champions.championKey(tenant, this.options.kind); // validates the tenant before caching it
      entry = {
        tenant,
        generation: 0,
        checkedGeneration: -1,
        checkedAt: 0,
        modelId: null,
        model: null,
        previous: null,
        inflight: undefined,
        inflightGeneration: -1,
      };
      this.entries.set(tenant, entry);
    }
    if (entry.checkedGeneration === entry.generation && Date.now() - entry.checkedAt < this.options.maxStalenessMs) {
      return entry.model;
    }
    return this.refresh(entry);
  }

  /** Stops listening and releases every model. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await Promise.all([...this.entries.values()].map((entry) => entry.inflight));
    const models = [...this.entries.values()].flatMap((entry) => [entry.model, entry.previous]);
    for (const [timer, model] of this.pendingReleases) {
      clearTimeout(timer);
      models.push(model);
    }
    this.pendingReleases.clear();
    await Promise.all(models.map((model) => model?.release()));
    this.entries.clear();
    if (this.ownsChanges) await this.changes.close();
  }

  private invalidate(tenant: string | null): void {
    const targets = tenant === null ? [...this.entries.values()] : [this.entries.get(tenant)].filter((e): e is Entry => e !== undefined);
    for (const entry of targets) {
      entry.generation += 1;
      // Load eagerly so the first alert after a flip does not wait for the artifact.
      void this.refresh(entry);
    }
  }

  /** One load per (tenant, generation); a load for an older generation finishes first, then this one runs. */
  private refresh(entry: Entry): Promise<OnnxModel | null> {
    if (entry.inflight !== undefined && entry.inflightGeneration === entry.generation) return entry.inflight;
    const generation = entry.generation;
    const before = entry.inflight ?? Promise.resolve(null);
    const run = before.then(() => this.reload(entry, generation));
    entry.inflight = run;
    entry.inflightGeneration = generation;
    void run.finally(() => {
      if (entry.inflight === run) entry.inflight = undefined;
    });
    return run;
  }

  private async reload(entry: Entry, generation: number): Promise<OnnxModel | null> {
    if (this.closed) return entry.model;
    try {
      const modelId = await this.champions.getChampion(entry.tenant, this.options.kind);
      if (modelId !== entry.modelId) {
        const model = modelId === null ? null : modelId === entry.previous?.meta.id ? entry.previous : await this.loadModel(entry.tenant, modelId);
        if (this.closed) {
          if (model !== entry.previous) await model?.release();
          return null;
        }
        this.replace(entry, modelId, model);
      }
      entry.checkedGeneration = generation;
      entry.checkedAt = Date.now();
    } catch (thrown) {
      const error = coerceError(thrown);
      this.options.logger.warn(
        { err: error, tenant: entry.tenant, kind: this.options.kind, servingModelId: entry.modelId },
        'champion model could not be loaded; the previous model keeps serving',
      );
      // Counted as checked, but due again after retryDelayMs rather than maxStalenessMs.
      entry.checkedGeneration = generation;
      entry.checkedAt = Date.now() - this.options.maxStalenessMs + this.options.retryDelayMs;
    }
    return entry.model;
  }

  private async loadModel(tenant: string, modelId: string): Promise<OnnxModel> {
    const artifact = await this.options.artifacts.load(tenant, modelId);
    if (artifact === null) {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `champion ${modelId} of tenant ${tenant} has no artifact in the registry`);
    }
    if (artifact.meta.id !== modelId) {
      throw new HushError('HUSH_ERR_MODEL_LOAD', `registry returned model ${artifact.meta.id} when asked for ${modelId}`);
    }
    return OnnxModel.load(artifact.bytes, artifact.meta, this.options.expected);
  }

  private replace(entry: Entry, modelId: string | null, model: OnnxModel | null): void {
    const old = entry.model;
    entry.modelId = modelId;
    entry.model = model;
    this.options.logger.info({ tenant: entry.tenant, kind: this.options.kind, modelId }, 'champion model in service');
    let displaced = old;
    if (this.options.keepPrevious) {
      displaced = entry.previous === model ? null : entry.previous;
      entry.previous = old;
    }
    if (displaced === null) return;
    const timer = setTimeout(() => {
      this.pendingReleases.delete(timer);
      void displaced.release();
    }, this.options.releaseDelayMs);
    timer.unref();
    this.pendingReleases.set(timer, displaced);
  }
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => value !== undefined && key !== 'changes')) as Partial<T>;
}
