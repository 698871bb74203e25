import { createRedis } from '../../shared/redis/connection.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';

/**
 * Deletes every Redis key under `prefix:` — queues of every name (the partitioned metrics queues too)
 * and role state such as series checkpoints. Only for a test's own unique prefix.
 */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl);
  try {
    await unlinkMatching(redis, `${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}
