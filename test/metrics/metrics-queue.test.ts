import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import { seriesKey } from '../../schemas/metric-sample.js';
import { DEFAULT_METRICS_PARTITIONS, partitionOf, resolveMetricsPartitions } from '../../queues/metrics-partitions.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import { serviceUrls } from '../helpers/services.js';
import { cleanMetrics, partitionJobs, syntheticStream } from './metrics-fixture.js';

const PARTITIONS = 4;

describe('MetricsProducer (real Redis)', () => {
  let redis: Redis;
  const prefix = uniquePrefix();

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    await cleanMetrics(redis, prefix, PARTITIONS, []);
    redis.disconnect();
  });

  it('puts every series on the partition of its key and keeps each series in push order across pushes and jobs', async () => {
    const producer = new MetricsProducer({ connection: redis, partitions: PARTITIONS, prefix, maxSamplesPerJob: 7 });
    const samples = syntheticStream({ seed: 1, tenant: 'acme', series: 12, length: 20 });
    for (let i = 0; i < samples.length; i += 25) await producer.push(samples.slice(i, i + 25));
    await producer.close();

    const seen = new Map<string, number[]>();
    let jobs = 0;
    for (let partition = 0; partition < PARTITIONS; partition += 1) {
      for (const job of await partitionJobs(redis, prefix, partition)) {
        jobs += 1;
        expect(job.samples.length).toBeLessThanOrEqual(7);
        for (const sample of job.samples) {
          const key = seriesKey(sample);
          expect(partitionOf(key, PARTITIONS)).toBe(partition);
          seen.set(key, [...(seen.get(key) ?? []), sample.timestamp]);
        }
      }
    }
    expect(jobs).toBeGreaterThan(PARTITIONS);
    expect(seen.size).toBe(12);
    const used = new Set([...seen.keys()].map((key) => partitionOf(key, PARTITIONS)));
    expect(used.size).toBeGreaterThan(1);
    for (const timestamps of seen.values()) {
      expect(timestamps).toHaveLength(20);
      expect(timestamps).toEqual([...timestamps].sort((a, b) => a - b));
    }
  });

  it('opens and closes its own connection when given connection options', async () => {
    const url = new URL(serviceUrls().redisUrl);
    const producer = new MetricsProducer({ connection: { host: url.hostname, port: Number(url.port) }, partitions: PARTITIONS, prefix });
    await producer.push([{ tenant: 'acme', name: 'up', labels: {}, timestamp: Date.UTC(2024, 0, 1), value: 1 }]);
    await producer.close();
    const partition = partitionOf(seriesKey({ tenant: 'acme', name: 'up', labels: {} }), PARTITIONS);
    expect((await partitionJobs(redis, prefix, partition)).some((job) => job.samples.some((s) => s.name === 'up'))).toBe(true);
  });
});

describe('partition count', () => {
  it('defaults to 16, reads HUSH_METRICS_PARTITIONS, and an explicit value wins', () => {
    expect(resolveMetricsPartitions(undefined, {})).toBe(DEFAULT_METRICS_PARTITIONS);
    expect(DEFAULT_METRICS_PARTITIONS).toBe(16);
    expect(resolveMetricsPartitions(undefined, { HUSH_METRICS_PARTITIONS: '8' })).toBe(8);
    expect(resolveMetricsPartitions(3, { HUSH_METRICS_PARTITIONS: '8' })).toBe(3);
  });

  it('fails fast naming the variable or option', () => {
    expect(() => resolveMetricsPartitions(undefined, { HUSH_METRICS_PARTITIONS: 'x' })).toThrow(/HUSH_METRICS_PARTITIONS="x"/);
    expect(() => resolveMetricsPartitions(0)).toThrow(/option partitions=0/);
  });
});
