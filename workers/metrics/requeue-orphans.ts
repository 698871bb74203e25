import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { HushError } from '../../shared/errors/index.js';

/**
 * Puts the jobs a previous owner of the partition left active back at the head of the wait list, oldest
 * consumed first, so a new owner resumes exactly where it stopped. BullMQ's own stalled check would do
 * it only after two check intervals, while later jobs of the partition overtook them. A job whose lock
 * is still held (its owner lost the lease but is still finishing) is waited for up to `lockWaitMs`.
 */
export async function requeueOrphans(queue: Queue, redis: Redis, options: { lockWaitMs: number; pollMs?: number }): Promise<number> {
  const deadline = Date.now() + options.lockWaitMs;
  for (;;) {
    const active = await queue.getActive();
    const locked = await Promise.all(active.map(async (job) => (await redis.exists(`${queue.toKey(job.id ?? '')}:lock`)) === 1));
    if (!locked.includes(true)) {
      // Each moveToWait pushes onto the consuming end, so the newest goes first and the oldest last.
      const newestFirst = [...active].sort((a, b) => b.timestamp - a.timestamp || Number(b.id) - Number(a.id));
      for (const job of newestFirst) await job.moveToWait();
      return active.length;
    }
    if (Date.now() > deadline) {
      throw new HushError('HUSH_ERR_INTERNAL', `queue ${queue.name} still has locked active jobs after ${options.lockWaitMs} ms; another consumer is running outside the partition lease (check HUSH_METRICS_PARTITIONS and HUSH_QUEUE_PREFIX agree across replicas)`);
    }
    await sleep(options.pollMs ?? 200);
  }
}
