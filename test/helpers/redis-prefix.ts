import { createRedis } from '../../shared/redis/connection.js';

/**
 * Deletes every Redis key under `prefix:` — queues of every name (the partitioned metrics queues too)
 * and role state such as series checkpoints. Only for a test's own unique prefix.
 */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
