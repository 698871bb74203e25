import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClickHouseClient } from '../../shared/clickhouse/client.js';
import { type MetricSample, seriesKey } from '../../schemas/metric-sample.js';
import { metricsQueueName } from '../../queues/metrics-partitions.js';
import type { MetricsJob } from '../../queues/metrics-queue.js';
import { detectorFactory } from '../../workers/metrics/detectors/registry.js';
import { PartitionLeases } from '../../workers/metrics/partition-leases.js';
import { SeriesCheckpoints } from '../../workers/metrics/series-checkpoints.js';
import { prng } from '../helpers/prng.js';

const START = Date.UTC(2024, 0, 1);
const STEP_MS = 5 * 60_000;

/**
 * `series` daily-seasonal series of `length` samples each (5-minute steps, seeded noise, one spike per
 * series at a different place), interleaved in time order as a scraper would send them.
 */
export function syntheticStream(options: { seed: number; tenant: string; series: number; length: number }): MetricSample[] {
  const random = prng(options.seed);
  const samples: MetricSample[] = [];
  for (let i = 0; i < options.length; i += 1) {
    for (let s = 0; s < options.series; s += 1) {
      const spike = i === Math.floor(options.length * (0.5 + (0.4 * s) / options.series)) ? 40 : 0;
      const value = 50 + 10 * Math.sin((2 * Math.PI * i) / 288 + s) + 2 * random() + spike;
      samples.push({ tenant: options.tenant, name: 'cpu_usage', labels: { host: `h${s}`, service: 'api' }, timestamp: START + i * STEP_MS, value });
    }
  }
  return samples;
}

/** What an uninterrupted run gives: each series fed to a fresh hush-ensemble in timestamp order. */
export function referenceScores(samples: readonly MetricSample[]): Map<string, number[]> {
  const detectors = new Map<string, ReturnType<ReturnType<typeof detectorFactory>>>();
  const scores = new Map<string, number[]>();
  for (const sample of [...samples].sort((a, b) => a.timestamp - b.timestamp)) {
    const key = seriesKey(sample);
    let detector = detectors.get(key);
    if (!detector) {
      detector = detectorFactory('hush-ensemble')();
      detectors.set(key, detector);
      scores.set(key, []);
    }
    scores.get(key)?.push(detector.update(sample.timestamp, sample.value));
  }
  return scores;
}

/** Every job of one partition queue, oldest first. */
export async function partitionJobs(redis: Redis, prefix: string, partition: number): Promise<MetricsJob[]> {
  const queue = new Queue<MetricsJob>(metricsQueueName(partition), { connection: redis, prefix });
  try {
    const jobs = await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'], 0, -1, true);
    return jobs.map((job) => job.data);
  } finally {
    await queue.close();
  }
}

/** Obliterates the partition queues and deletes the leases, the replica set and the checkpoints of `samples`' series. */
export async function cleanMetrics(redis: Redis, prefix: string, partitions: number, samples: readonly MetricSample[]): Promise<void> {
  for (let partition = 0; partition < partitions; partition += 1) {
    const queue = new Queue(metricsQueueName(partition), { connection: redis, prefix });
    await queue.obliterate({ force: true });
    await queue.close();
  }
  const checkpoints = new SeriesCheckpoints({ redis, prefix });
  const leases = new PartitionLeases({ redis, prefix, ttlMs: 1000 });
  const series = new Map(samples.map((s) => [seriesKey(s), { tenant: s.tenant, seriesKey: seriesKey(s) }]));
  await redis.del(
    `${prefix}:metrics:replicas`,
    ...Array.from({ length: partitions }, (_, p) => leases.keyOf(p)),
    ...[...series.values()].map((ref) => checkpoints.keyOf(ref)),
  );
}

/** Each series' recorded scores (one row per sample under FINAL), in timestamp order. */
export async function storedScores(client: ClickHouseClient): Promise<Map<string, number[]>> {
  const result = await client.query({
    query: 'SELECT series_key, anomaly_score FROM metric_anomalies FINAL ORDER BY series_key, timestamp, timestamp_ms',
    format: 'JSONEachRow',
  });
  const scores = new Map<string, number[]>();
  for (const row of await result.json<{ series_key: string; anomaly_score: number }>()) {
    scores.set(row.series_key, [...(scores.get(row.series_key) ?? []), row.anomaly_score]);
  }
  return scores;
}

/** Rows of `metric_anomalies` as stored (replays included), and under FINAL. */
export async function storedRowCounts(client: ClickHouseClient): Promise<{ raw: number; final: number }> {
  const result = await client.query({
    query: 'SELECT (SELECT count() FROM metric_anomalies) AS raw, (SELECT count() FROM metric_anomalies FINAL) AS final',
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ raw: string | number; final: string | number }>();
  return { raw: Number(row?.raw ?? 0), final: Number(row?.final ?? 0) };
}

/** Jobs waiting, active or delayed across the partition queues. */
export async function pendingMetricsJobs(redis: Redis, prefix: string, partitions: number): Promise<number> {
  let pending = 0;
  for (let partition = 0; partition < partitions; partition += 1) {
    const queue = new Queue(metricsQueueName(partition), { connection: redis, prefix });
    const counts = await queue.getJobCounts('wait', 'waiting', 'active', 'delayed', 'prioritized');
    pending += Object.values(counts).reduce((sum, n) => sum + n, 0);
    await queue.close();
  }
  return pending;
}

/** Jobs a worker holds (active) across the partition queues. */
export async function activeMetricsJobs(redis: Redis, prefix: string, partitions: number): Promise<number> {
  let active = 0;
  for (let partition = 0; partition < partitions; partition += 1) {
    const queue = new Queue(metricsQueueName(partition), { connection: redis, prefix });
    active += await queue.getActiveCount();
    await queue.close();
  }
  return active;
}
