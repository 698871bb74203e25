import type { Redis } from 'ioredis';

/**
 * Deletes every key matching a glob `pattern` with SCAN + UNLINK, so Redis is never blocked the way KEYS
 * would block it. Returns how many keys were deleted. Meant for a caller's own unique prefix or tenant.
 */
export async function unlinkMatching(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
