import type { ClickHouseClient } from '@clickhouse/client';
import type { Redis } from 'ioredis';
import { HushError } from '../errors/index.js';
import type { HealthCheck } from './metrics-server.js';

/** `/healthz` check: Redis answers PING. */
export function redisCheck(redis: Redis): HealthCheck {
  return async () => void (await redis.ping());
}

/** `/healthz` checks of a role that writes to ClickHouse: Redis answers PING, ClickHouse answers its ping. */
export function redisAndClickHouseChecks(redis: Redis, clickhouse: ClickHouseClient): Record<'redis' | 'clickhouse', HealthCheck> {
  return {
    redis: redisCheck(redis),
    clickhouse: async () => {
      const ping = await clickhouse.ping();
      if (!ping.success) throw ping.error;
    },
  };
}

/**
 * `/healthz` check of a role that stages its rows in a row journal: it fails only once the journal is
 * full and the role waits for room. ClickHouse down alone does not fail it, as the role works on.
 */
export function journalRoomCheck(journal: { readonly full: boolean }, key: string): HealthCheck {
  return async () => {
    if (journal.full) {
      throw new HushError('HUSH_ERR_UNAVAILABLE', `the row journal ${key} holds HUSH_JOURNAL_MAX_BYTES or more: ClickHouse is not taking rows and scoring waits for room`);
    }
  };
}
