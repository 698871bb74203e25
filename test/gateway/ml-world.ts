import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { TrainingQueue } from '../../queues/training-queue.js';
import { clickHouseOptionsFromConfig, dropDatabase } from '../../shared/clickhouse/client.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { createRedis } from '../../shared/redis/connection.js';
import type { MlDeps } from '../../workers/gateway/interfaces/ml-deps.js';
import { uniqueName } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { obliterateAll } from '../queues/queue-fixture.js';
import { dropFileTenants } from '../workers/worker-fixture.js';

/** Real Redis and a scratch ClickHouse database, with the gateway's ML dependencies over them. */
export interface MlWorld {
  config: HushConfig;
  redis: Redis;
  clickhouse: ClickHouseClient;
  ml: MlDeps;
  /** Closes the training queue and connections, and drops the queues, file tenants and database. */
  close(): Promise<void>;
}

/** Opens an {@link MlWorld} under a queue prefix and database named after `name`. */
export async function openMlWorld(name: string): Promise<MlWorld> {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  const config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName(name, '-'), clickhouseDatabase: uniqueName(`hush_${name.replaceAll('-', '_')}`), metricsPort: 0, logLevel: 'silent' });
  const clickhouse = await openDatabase(config);
  const redis = createRedis(redisUrl);
  const ml: MlDeps = {
    registry: new ModelRegistry(clickhouse, redis),
    training: new TrainingQueue({ connection: redis, prefix: config.queuePrefix }),
    thresholds: new ThresholdRegistry({ redis, clickhouse, thresholds: new ThresholdStore({ redis, cacheTtlMs: 0 }) }),
    // GET /api/v1/ml/drift has its own test (test/drift/drift-api.test.ts).
    drift: { clickhouse, schedules: { scheduled: async () => [] } },
  };
  return {
    config,
    redis,
    clickhouse,
    ml,
    async close() {
      await ml.training.close();
      await obliterateAll(redis, config.queuePrefix);
      await dropFileTenants(redis);
      await clickhouse.close();
      redis.disconnect();
      await dropDatabase(clickHouseOptionsFromConfig(config));
    },
  };
}
