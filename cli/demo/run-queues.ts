import type { Redis } from 'ioredis';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import { unlinkMatching } from '../../shared/redis/unlink-matching.js';

/** What {@link removeRunQueues} did with a demo run's queue keys. */
export type RunQueuesOutcome = { removed: number } | { kept: string; rows: number };

/**
 * Removes the Redis keys under a finished demo run's queue prefix (its queues, their jobs, such as the
 * notifications nothing dispatches in a demo, and its row journal), so repeated demos do not pile up in
 * the local Redis. Keeps them all when the row journal still holds rows, inserted or refused: those are
 * decisions ClickHouse has not taken, and a scoring worker with the same prefix can still insert them.
 */
export async function removeRunQueues(redis: Redis, prefix: string): Promise<RunQueuesOutcome> {
  const journal = journalKey(prefix, 'scoring');
  const rows = (await redis.xlen(journal)) + (await redis.xlen(refusedKey(journal)));
  if (rows > 0) return { kept: journal, rows };
  return { removed: await unlinkMatching(redis, `${prefix}:*`) };
}
