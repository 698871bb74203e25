import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection as BullMQ workers need it (`maxRetriesPerRequest: null`, so commands wait
 * through a Redis restart instead of failing).
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
