import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import type { MetricSample } from '../../schemas/metric-sample.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import { createE2eWorld, killAllHushProcesses, startHush, waitFor, type E2eWorld, type HushEnv, type HushProcess } from '../helpers/fleet.js';
import { activeMetricsJobs, cleanMetrics, pendingMetricsJobs, referenceScores, storedRowCounts, storedScores, syntheticStream } from './metrics-fixture.js';

const PARTITIONS = 4;

async function push(producer: MetricsProducer, samples: readonly MetricSample[], slice: number): Promise<void> {
  for (let i = 0; i < samples.length; i += slice) await producer.push(samples.slice(i, i + slice));
}

describe('metrics worker crash recovery (child processes, real Redis + ClickHouse)', () => {
  let world: E2eWorld;
  let env: HushEnv;
  let redis: Redis;
  let producer: MetricsProducer;
  let stream: MetricSample[];
  const workers: HushProcess[] = [];
  const current = (): HushProcess => workers[workers.length - 1] as HushProcess;

  beforeAll(async () => {
    world = createE2eWorld('metrics-crash');
    // Short leases and locks so the restarted worker takes the partitions over within seconds.
    env = { ...world.env, extra: { HUSH_METRICS_PARTITIONS: String(PARTITIONS), HUSH_METRICS_LEASE_MS: '2000', HUSH_JOB_LOCK_MS: '2000', HUSH_METRICS_RECORD_MIN_SCORE: '0' } };
    redis = createRedis(world.env.redisUrl);
    producer = new MetricsProducer({ connection: redis, partitions: PARTITIONS, prefix: world.env.queuePrefix });
    stream = syntheticStream({ seed: 99, tenant: world.tenant, series: 8, length: 700 });
    workers.push(await startHush(['worker', 'metrics'], env));
  });

  afterAll(async () => {
    await killAllHushProcesses();
    await producer?.close();
    await cleanMetrics(redis, world.env.queuePrefix, PARTITIONS, stream);
    redis?.disconnect();
    await world?.dispose();
  });

  it('leaves every series with the scores of an uninterrupted run when the worker is killed -9 mid-stream and restarted', { timeout: 150_000 }, async () => {
    // A backlog up front, so the worker holds jobs when it is killed; the rest arrives while it recovers.
    const half = Math.floor(stream.length / 2);
    await push(producer, stream.slice(0, half), 400);
    await waitFor(async () => (await storedRowCounts(world.clickhouse)).final >= stream.length * 0.2, {
      timeoutMs: 60_000,
      intervalMs: 50,
      what: () => `20% of the samples scored before the crash\n${current().tail()}`,
    });
    const killed = await current().kill9();
    expect(killed.signal).toBe('SIGKILL');
    const atCrash = (await storedRowCounts(world.clickhouse)).final;
    expect(atCrash).toBeLessThan(half); // really mid-stream: part of the backlog is unscored
    // The killed worker held jobs: the next owner must put them back ahead of the rest of their partition.
    expect(await activeMetricsJobs(redis, world.env.queuePrefix, PARTITIONS)).toBeGreaterThan(0);

    const producing = push(producer, stream.slice(half), 400);
    workers.push(await startHush(['worker', 'metrics'], env));
    await producing;
    await waitFor(
      async () => (await storedRowCounts(world.clickhouse)).final >= stream.length && (await pendingMetricsJobs(redis, world.env.queuePrefix, PARTITIONS)) === 0,
      { timeoutMs: 90_000, intervalMs: 250, what: () => `every sample scored after the restart\n${current().tail()}` },
    );

    expect(await storedScores(world.clickhouse)).toEqual(referenceScores(stream));
    expect(current().tail()).toMatch(/requeued jobs a previous owner left active/);
    expect(current().tail()).not.toMatch(/metrics job failed/);
    expect(await current().stop()).toEqual({ code: 0, signal: null });
  });
});
