import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import type { HealthCheck } from './metrics-server.js';

/** `/healthz` checks of a role that writes to ClickHouse: Redis answers PING, ClickHouse answers its ping. */
export function redisAndClickHouseChecks(redis: Redis, clickhouse: ClickHouseClient): Record<'redis' | 'clickhouse', HealthCheck> {
  return {
    redis: async () => void (await redis.ping()),
    clickhouse: async () => {
      const ping = await clickhouse.ping();
      if (!ping.success) throw ping.error;
    },
  };
}
