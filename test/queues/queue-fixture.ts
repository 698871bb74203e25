import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { metricsQueueName, resolveMetricsPartitions } from '../../queues/metrics-partitions.js';
import { QUEUE_NAMES, type QueueName } from '../../queues/queue-names.js';
import { refusedKey } from '../../shared/clickhouse/journal-drain.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';

/** A BullMQ prefix no other test uses. */
export function uniquePrefix(): string {
  return `test-${randomUUID()}`;
}

/** Every job (any state) of one queue under `prefix`, oldest first. */
export async function jobsOf<T>(redis: Redis, prefix: string, name: QueueName): Promise<{ id: string | undefined; name: string; data: T; opts: Record<string, unknown> }[]> {
  const queue = new Queue<T>(name, { connection: redis, prefix });
  try {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'], 0, -1, true);
    return jobs.map((job) => ({ id: job.id, name: job.name, data: job.data, opts: job.opts as Record<string, unknown> }));
  } finally {
    await queue.close();
  }
}

/**
 * Obliterates every Hush queue under `prefix` through BullMQ's public API (each metrics partition, as
 * the gateway and metrics role create them, not only the base name), and the scoring role's row journal.
 */
export async function obliterateAll(redis: Redis, prefix: string): Promise<void> {
  const partitions = Array.from({ length: resolveMetricsPartitions() }, (_, partition) => metricsQueueName(partition));
  for (const name of [...Object.values(QUEUE_NAMES), ...partitions]) {
    const queue = new Queue(name, { connection: redis, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  const journal = journalKey(prefix, 'scoring');
  await redis.del(journal, refusedKey(journal));
}
