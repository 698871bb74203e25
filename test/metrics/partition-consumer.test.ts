import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import { createLogger } from '../../shared/observability/logger.js';
import { seriesKey } from '../../schemas/metric-sample.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import { MetricsProcessor } from '../../workers/metrics/metrics-processor.js';
import { PartitionConsumer } from '../../workers/metrics/partition-consumer.js';
import { PartitionLeases, type PartitionLease } from '../../workers/metrics/partition-leases.js';
import type { ScoredSample } from '../../workers/metrics/scored-sample.js';
import { SeriesCheckpoints } from '../../workers/metrics/series-checkpoints.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import { serviceUrls } from '../helpers/services.js';
import { waitFor } from '../helpers/fleet.js';
import { cleanMetrics, pendingMetricsJobs, referenceScores, syntheticStream } from './metrics-fixture.js';

describe('PartitionConsumer losing its lease (real Redis)', () => {
  let redis: Redis;
  const prefix = uniquePrefix();
  const stream = syntheticStream({ seed: 5, tenant: 'acme', series: 4, length: 300 });

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    await cleanMetrics(redis, prefix, 1, stream);
    redis.disconnect();
  });

  it('puts its job back and stops when another replica takes the partition, which then loses no sample', { timeout: 60_000 }, async () => {
    const leases = new PartitionLeases({ redis, prefix, ttlMs: 60_000 });
    const checkpoints = new SeriesCheckpoints({ redis, prefix });
    const scored: ScoredSample[] = [];
    let fenced = 0;
    const handover: { lease: PartitionLease | null } = { lease: null };
    const consumerFor = (lease: PartitionLease) => {
      const processor = new MetricsProcessor({
        checkpoints,
        detector: 'hush-ensemble',
        sinks: { record: async (s) => void scored.push(s), raise: async () => undefined },
        recordMinScore: 0,
        alertThresholdOf: () => 1,
      });
      return PartitionConsumer.start({
        lease,
        connection: redis,
        prefix,
        lockDurationMs: 2000,
        logger: createLogger('metrics', 'silent'),
        process: async (job, held) => {
          if (handover.lease === null && scored.length >= 200) {
            // Mid-stream the first owner's lease expires (a long pause, say) and another replica takes the partition.
            await redis.del(leases.keyOf(0));
            handover.lease = await leases.tryAcquire(0, 'successor');
          }
          const committed = await processor.process(job.samples, held);
          if (!committed) fenced += 1;
          return committed;
        },
      });
    };
    const producer = new MetricsProducer({ connection: redis, partitions: 1, prefix });
    for (let i = 0; i < stream.length; i += 40) await producer.push(stream.slice(i, i + 40));
    await producer.close();

    const first = await consumerFor((await leases.tryAcquire(0, 'first')) as PartitionLease);
    await waitFor(() => fenced === 1, { timeoutMs: 30_000, what: 'the first owner to find its checkpoint fenced' });
    expect(await pendingMetricsJobs(redis, prefix, 1)).toBeGreaterThan(0);

    if (handover.lease === null) throw new Error('the successor did not get the lease');
    const successor = await consumerFor(handover.lease);
    await waitFor(async () => (await pendingMetricsJobs(redis, prefix, 1)) === 0, { timeoutMs: 30_000, what: 'the successor to drain the partition' });
    await Promise.all([first.stop(), successor.stop()]);
    expect(fenced).toBe(1);

    // The fenced batch was scored twice, with the same scores (as its rows would collapse in ClickHouse).
    const bySample = new Map<string, number>();
    for (const s of scored) {
      const key = `${s.seriesKey}@${s.sample.timestamp}`;
      if (bySample.has(key)) expect(bySample.get(key)).toBe(s.score);
      bySample.set(key, s.score);
    }
    const replayed = new Map<string, number[]>();
    for (const sample of [...stream].sort((a, b) => a.timestamp - b.timestamp)) {
      const key = seriesKey(sample);
      replayed.set(key, [...(replayed.get(key) ?? []), bySample.get(`${key}@${sample.timestamp}`) ?? Number.NaN]);
    }
    expect(replayed).toEqual(referenceScores(stream));
  });
});
