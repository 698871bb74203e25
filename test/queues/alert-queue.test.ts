import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AlertQueue } from '../../queues/alert-queue.js';
import { alertJobId } from '../../queues/job-ids.js';
import type { AlertsJob } from '../../queues/jobs.js';
import type { Alert } from '../../schemas/alert.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { jobsOf, obliterateAll, uniquePrefix } from './queue-fixture.js';

let redis: Redis;
const prefixes: string[] = [];
const queues: AlertQueue[] = [];

beforeAll(() => {
  redis = connectRedis();
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  for (const prefix of prefixes.splice(0)) await obliterateAll(redis, prefix);
});

afterAll(async () => {
  await redis.quit();
});

function alertQueue(chunkSize: number): { queue: AlertQueue; prefix: string } {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const queue = new AlertQueue({ connection: redis, prefix, chunkSize });
  queues.push(queue);
  return { queue, prefix };
}

function alert(id: string): Alert {
  return {
    id,
    tenant: 'acme',
    source: 'prometheus',
    name: 'HighLatency',
    service: 'checkout',
    severity: 'warning',
    status: 'firing',
    startsAt: Date.UTC(2024, 4, 1, 12),
    endsAt: null,
    summary: 'latency high',
    labels: {},
    value: null,
    fingerprint: 'fp-1',
  };
}

const ids = (jobs: { data: AlertsJob }[]): string[] => jobs.flatMap((job) => job.data.alerts.map((a) => a.id)).sort();

describe('AlertQueue.addShared', () => {
  it('packs the alerts of concurrent callers into shared jobs of at most chunkSize alerts, each alert once', async () => {
    const { queue, prefix } = alertQueue(20);
    const sent = Array.from({ length: 50 }, (_, i) => `a-${String(i).padStart(2, '0')}`);
    await Promise.all(sent.map((id) => queue.addShared([alert(id)])));
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.map((job) => job.data.alerts.length).sort((a, b) => a - b)).toEqual([10, 20, 20]);
    expect(ids(jobs)).toEqual(sent);
    for (const job of jobs) expect(job.id).toBe(alertJobId(job.data.alerts));
  });

  it('stores an alert event sent twice in one turn once, and the same id with another status beside it', async () => {
    const { queue, prefix } = alertQueue(20);
    const resolved: Alert = { ...alert('twice'), status: 'resolved', endsAt: Date.UTC(2024, 4, 1, 13) };
    await Promise.all([queue.addShared([alert('twice')]), queue.addShared([alert('twice'), resolved]), queue.addShared([alert('other')])]);
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.flatMap((job) => job.data.alerts.map((a) => `${a.id}/${a.status}`)).sort()).toEqual(['other/firing', 'twice/firing', 'twice/resolved']);
  });

  it('gives callers of different event-loop turns jobs of their own', async () => {
    const { queue, prefix } = alertQueue(20);
    await queue.addShared([alert('first')]);
    await queue.addShared([alert('second')]);
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(jobs.map((job) => job.data.alerts.map((a) => a.id))).toEqual([['first'], ['second']]);
  });

  it('splits one caller holding more than chunkSize alerts into chunks, beside another caller', async () => {
    const { queue, prefix } = alertQueue(4);
    const big = Array.from({ length: 9 }, (_, i) => alert(`big-${i}`));
    await Promise.all([queue.addShared(big), queue.addShared([alert('small')])]);
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(ids(jobs)).toEqual([...big.map((a) => a.id), 'small'].sort());
    expect(Math.max(...jobs.map((job) => job.data.alerts.length))).toBeLessThanOrEqual(4);
  });
});

describe('AlertQueue.addChunked', () => {
  it('stores a repeated alert event of one batch once', async () => {
    const { queue, prefix } = alertQueue(3);
    await queue.addChunked([alert('r-1'), alert('r-2'), alert('r-1'), alert('r-3'), alert('r-2')]);
    const jobs = await jobsOf<AlertsJob>(redis, prefix, 'alerts');
    expect(ids(jobs)).toEqual(['r-1', 'r-2', 'r-3']);
  });
});
