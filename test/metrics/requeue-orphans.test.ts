import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import { requeueOrphans } from '../../workers/metrics/requeue-orphans.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import { serviceUrls } from '../helpers/services.js';

describe('requeueOrphans (real Redis)', () => {
  let redis: Redis;
  let queue: Queue<{ n: number }>;
  const prefix = uniquePrefix();

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
    queue = new Queue('metrics-0', { connection: redis, prefix });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    redis.disconnect();
  });

  it('puts the jobs a dead owner held back ahead of the waiting ones, oldest first, once their locks expire', async () => {
    for (const n of [1, 2, 3, 4, 5]) await queue.add('samples', { n });
    // A "crashed" owner: takes three jobs by hand and never renews their 300 ms locks.
    const dead = new Worker('metrics-0', null, { connection: redis, prefix, lockDuration: 300, autorun: false });
    for (let i = 0; i < 3; i += 1) expect(await dead.getNextJob(`dead-${i}`)).toBeDefined();
    await dead.close(true);
    expect(await queue.getActiveCount()).toBe(3);

    const started = Date.now();
    expect(await requeueOrphans(queue, redis, { lockWaitMs: 5000, pollMs: 50 })).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200); // it waited for the locks to lapse
    expect(await queue.getActiveCount()).toBe(0);

    const next = new Worker<{ n: number }>('metrics-0', null, { connection: redis, prefix, autorun: false });
    const order: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const job = await next.getNextJob(`next-${i}`);
      order.push(job?.data.n ?? -1);
      await job?.moveToCompleted('done', `next-${i}`, false);
    }
    await next.close();
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });
});
