import type { Redis } from 'ioredis';
import { DriftQueue } from '../../../queues/drift-queue.js';
import { TrainingQueue } from '../../../queues/training-queue.js';
import type { HushConfig } from '../../../shared/config/config.js';
import { openDatabase } from '../../../shared/clickhouse/open-database.js';
import type { ClickHouseClient } from '../../../shared/clickhouse/client.js';
import { ModelRegistry } from '../../../shared/models/model-registry.js';
import { ThresholdRegistry } from '../../../shared/models/threshold-registry.js';
import type { Logger } from '../../../shared/observability/logger.js';
import { logQueueErrors } from '../../../shared/redis/outage-log.js';
import { ThresholdStore } from '../../../shared/models/threshold-store.js';
import type { MlDeps } from '../interfaces/ml-deps.js';

/** Options of {@link LazyMlDeps}. */
export interface LazyMlDepsOptions {
  config: HushConfig;
  /** The gateway's Redis connection (champion pointers, thresholds, the training queue). */
  redis: Redis;
  logger: Logger;
}

/**
 * The gateway's ML backends, opened on the first ML request rather than at start, so the gateway
 * starts and ingests while ClickHouse is down. A failed open is forgotten, and the next request tries
 * again; concurrent requests share one attempt.
 */
export class LazyMlDeps {
  private opening: Promise<MlDeps> | undefined;
  private clickhouse: ClickHouseClient | undefined;
  private training: TrainingQueue | undefined;
  private drift: DriftQueue | undefined;
  private closed = false;

  constructor(private readonly options: LazyMlDepsOptions) {}

  /** The deps, opening ClickHouse (and applying migrations) the first time. */
  readonly get = (): Promise<MlDeps> => {
    if (this.closed) return Promise.reject(new Error('the gateway is stopping'));
    this.opening ??= this.open().catch((thrown: unknown) => {
      this.opening = undefined;
      this.options.logger.warn({ err: thrown }, 'ClickHouse unavailable; the ML routes answer 503 until it is back');
      throw thrown;
    });
    return this.opening;
  };

  /** Closes what was opened; safe to call twice, and while an open is still running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await Promise.allSettled([this.training?.close(), this.drift?.close(), this.clickhouse?.close()]);
    this.training = undefined;
    this.drift = undefined;
    this.clickhouse = undefined;
  }

  private async open(): Promise<MlDeps> {
    const { config, redis, logger } = this.options;
    const clickhouse = await openDatabase(config, logger);
    if (this.closed) {
      await clickhouse.close();
      throw new Error('the gateway is stopping');
    }
    this.clickhouse = clickhouse;
    const training = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
    logQueueErrors(training.bullQueue, logger);
    this.training = training;
    const drift = new DriftQueue({ connection: redis, prefix: config.queuePrefix });
    logQueueErrors(drift.bullQueue, logger);
    this.drift = drift;
    // The gateway only writes thresholds; replicas that score hear of changes through the channel.
    const thresholds = new ThresholdStore({ redis, defaultThreshold: config.defaultThreshold, cacheTtlMs: 0 });
    return {
      registry: new ModelRegistry(clickhouse, redis),
      training,
      thresholds: new ThresholdRegistry({ redis, clickhouse, thresholds }),
      drift: { clickhouse, schedules: drift },
    };
  }
}
