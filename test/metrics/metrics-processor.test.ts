import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import { type MetricSample, seriesKey } from '../../schemas/metric-sample.js';
import { anomalyAlert } from '../../workers/metrics/anomaly-alerts.js';
import { MetricsProcessor } from '../../workers/metrics/metrics-processor.js';
import { PartitionLeases, type PartitionLease } from '../../workers/metrics/partition-leases.js';
import type { ScoredSample } from '../../workers/metrics/scored-sample.js';
import { SeriesCheckpoints } from '../../workers/metrics/series-checkpoints.js';
import { uniquePrefix } from '../queues/queue-fixture.js';
import { serviceUrls } from '../helpers/services.js';
import { cleanMetrics, referenceScores, syntheticStream } from './metrics-fixture.js';

const THRESHOLD = 0.6;

/** A processor whose sinks remember what they were given. */
function processorWith(checkpoints: SeriesCheckpoints, maxCachedSeries?: number) {
  const recorded: ScoredSample[] = [];
  const raised: ScoredSample[] = [];
  const processor = new MetricsProcessor({
    checkpoints,
    detector: 'hush-ensemble',
    sinks: { record: async (s) => void recorded.push(s), raise: async (a) => void raised.push(...a) },
    recordMinScore: 0,
    alertThresholdOf: () => THRESHOLD,
    ...(maxCachedSeries === undefined ? {} : { maxCachedSeries }),
  });
  return { processor, recorded, raised };
}

function scoresBySeries(scored: readonly ScoredSample[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const s of scored) out.set(s.seriesKey, [...(out.get(s.seriesKey) ?? []), s.score]);
  return out;
}

function batches(samples: readonly MetricSample[], size: number): MetricSample[][] {
  const out: MetricSample[][] = [];
  for (let i = 0; i < samples.length; i += size) out.push(samples.slice(i, i + size));
  return out;
}

describe('MetricsProcessor with checkpoints in real Redis', { timeout: 60_000 }, () => {
  let redis: Redis;
  let prefix: string;
  let leases: PartitionLeases;
  let checkpoints: SeriesCheckpoints;
  let lease: PartitionLease;
  let partition = 0;
  const stream = syntheticStream({ seed: 7, tenant: 'acme', series: 3, length: 400 });
  const reference = referenceScores(stream);

  beforeAll(() => {
    redis = createRedis(serviceUrls().redisUrl);
  });

  afterAll(async () => {
    redis.disconnect();
  });

  async function freshWorld(): Promise<void> {
    if (prefix) await cleanMetrics(redis, prefix, partition + 1, stream);
    prefix = uniquePrefix();
    leases = new PartitionLeases({ redis, prefix, ttlMs: 60_000 });
    checkpoints = new SeriesCheckpoints({ redis, prefix });
    partition += 1;
    lease = (await leases.tryAcquire(partition, 'test')) as PartitionLease;
  }

  afterAll(async () => {
    if (prefix) await cleanMetrics(redis, prefix, partition + 1, stream);
  });

  it('scores each series in timestamp order even when a job carries its samples shuffled', async () => {
    await freshWorld();
    const { processor, recorded } = processorWith(checkpoints);
    for (const batch of batches(stream, 60)) expect(await processor.process([...batch].reverse(), lease)).toBe(true);
    expect(scoresBySeries(recorded)).toEqual(reference);
  });

  it('reloads series it evicted from memory from their checkpoints, with identical scores', async () => {
    await freshWorld();
    const { processor, recorded } = processorWith(checkpoints, 1);
    for (const batch of batches(stream, 45)) expect(await processor.process(batch, lease)).toBe(true);
    expect(scoresBySeries(recorded)).toEqual(reference);
  });

  it('continues a series from its checkpoint on another processor (another replica) with identical scores', async () => {
    await freshWorld();
    const [first, second] = [stream.slice(0, 500), stream.slice(500)];
    const a = processorWith(checkpoints);
    for (const batch of batches(first, 40)) await a.processor.process(batch, lease);
    const b = processorWith(checkpoints);
    for (const batch of batches(second, 40)) await b.processor.process(batch, lease);
    expect(scoresBySeries([...a.recorded, ...b.recorded])).toEqual(reference);

    const stored = await checkpoints.load([{ tenant: 'acme', seriesKey: seriesKey(stream[0] as MetricSample) }]);
    expect(stored[0]).toMatchObject({ detector: 'hush-ensemble', lastTimestamp: (stream[stream.length - 1] as MetricSample).timestamp });
  });

  it('never feeds a replayed batch to the detector twice, so the scores stay those of an uninterrupted run', async () => {
    await freshWorld();
    const all = batches(stream, 50);
    const a = processorWith(checkpoints);
    for (const batch of all.slice(0, 10)) await a.processor.process(batch, lease);
    // A restart replays the last acknowledged-but-uncompleted batch, then goes on.
    const b = processorWith(checkpoints);
    await b.processor.process(all[9] as MetricSample[], lease);
    expect(b.recorded).toHaveLength(0);
    for (const batch of all.slice(10)) await b.processor.process(batch, lease);
    expect(scoresBySeries([...a.recorded, ...b.recorded])).toEqual(reference);
  });

  it('writes no checkpoint for a replica that lost its lease; the successor replays the batch and raises the same alert ids', async () => {
    await freshWorld();
    const all = batches(stream, 300);
    const timestamps = new Map<string, number[]>();
    for (const s of stream) timestamps.set(seriesKey(s), [...(timestamps.get(seriesKey(s)) ?? []), s.timestamp]);
    const isAnomaly = (s: MetricSample): boolean => (reference.get(seriesKey(s))?.[timestamps.get(seriesKey(s))?.indexOf(s.timestamp) ?? -1] ?? 0) >= THRESHOLD;
    const spiky = all.findIndex((batch) => batch.some(isAnomaly));
    expect(spiky).toBeGreaterThan(0);
    const refs = [...new Set(stream.map((s) => seriesKey(s)))].map((key) => ({ tenant: 'acme', seriesKey: key }));

    const owner = processorWith(checkpoints);
    for (const batch of all.slice(0, spiky)) expect(await owner.processor.process(batch, lease)).toBe(true);
    const before = await checkpoints.load(refs);
    await leases.release(lease);
    const successor = (await leases.tryAcquire(partition, 'successor')) as PartitionLease;

    expect(await owner.processor.process(all[spiky] as MetricSample[], lease)).toBe(false);
    expect(await checkpoints.load(refs)).toEqual(before);
    const next = processorWith(checkpoints);
    expect(await next.processor.process(all[spiky] as MetricSample[], successor)).toBe(true);
    expect(owner.raised.length).toBeGreaterThan(0);
    const ids = (raised: ScoredSample[]): string[] => raised.map((s) => anomalyAlert(s, THRESHOLD).id ?? '');
    expect(ids(next.raised)).toEqual(ids(owner.raised));
  });
});
