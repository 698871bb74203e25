import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationJob } from '../../queues/jobs.js';
import { NotificationQueue } from '../../queues/notification-queue.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { jobsOf, obliterateAll, uniquePrefix } from './queue-fixture.js';

let redis: Redis;
const opened: { queue: NotificationQueue; prefix: string }[] = [];

beforeAll(() => {
  redis = connectRedis();
});

afterEach(async () => {
  for (const { queue, prefix } of opened.splice(0)) {
    await queue.close();
    await obliterateAll(redis, prefix);
  }
});

afterAll(async () => {
  await redis.quit();
});

function open(): { queue: NotificationQueue; prefix: string } {
  const prefix = uniquePrefix();
  const entry = { queue: new NotificationQueue({ connection: redis, prefix }), prefix };
  opened.push(entry);
  return entry;
}

function notification(overrides: Partial<NotificationJob> = {}): NotificationJob {
  return {
    tenant: 'acme',
    alertId: 'a-1',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'critical',
    summary: 'p99 above 2s',
    startsAt: Date.UTC(2024, 4, 1, 12),
    score: 0.91,
    threshold: 0.5,
    modelId: 'm-1',
    ...overrides,
  };
}

describe('NotificationQueue', () => {
  it('enqueues one notify job per notification on the notifications queue', async () => {
    const { queue, prefix } = open();
    await queue.add([notification({ alertId: 'a-1' }), notification({ alertId: 'a-2', score: null, modelId: null })]);
    const jobs = await jobsOf<NotificationJob>(redis, prefix, 'notifications');
    expect(jobs.map((j) => j.name)).toEqual(['notify', 'notify']);
    expect(jobs.map((j) => j.data).sort((a, b) => a.alertId.localeCompare(b.alertId))).toEqual([
      notification({ alertId: 'a-1' }),
      notification({ alertId: 'a-2', score: null, modelId: null }),
    ]);
    expect(queue.bullQueue.name).toBe('notifications');
  });

  it('keeps a re-scored alert once: the job id depends on tenant and alert id only', async () => {
    const { queue, prefix } = open();
    await queue.add([notification({ score: 0.9 })]);
    await queue.add([notification({ score: 0.8 })]);
    await queue.add([notification({ tenant: 'globex' })]);
    const jobs = await jobsOf<NotificationJob>(redis, prefix, 'notifications');
    expect(jobs).toHaveLength(2);
    expect(jobs.map((j) => j.data.tenant).sort()).toEqual(['acme', 'globex']);
    expect(jobs.find((j) => j.data.tenant === 'acme')?.data.score).toBe(0.9);
    expect(jobs.every((j) => /^n-[0-9a-f]{40}$/.test(j.id ?? ''))).toBe(true);
  });

  it('does nothing for an empty list', async () => {
    const { queue, prefix } = open();
    await queue.add([]);
    expect(await jobsOf(redis, prefix, 'notifications')).toEqual([]);
  });
});
