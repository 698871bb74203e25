import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { createClickHouseClient, clickHouseOptionsFromConfig, dropDatabase, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { createLogger } from '../../shared/observability/logger.js';
import { createRedis } from '../../shared/redis/connection.js';
import { computeAlertId } from '../../schemas/alert-identity.js';
import type { Alert } from '../../schemas/alert.js';
import { seriesKey, type MetricSample } from '../../schemas/metric-sample.js';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import type { RunningRole } from '../../workers/role.js';
import { startMetrics } from '../../workers/metrics/main.js';
import { jobsOf, obliterateAll } from '../queues/queue-fixture.js';
import { serviceUrls } from '../helpers/services.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { cleanMetrics, pendingMetricsJobs, referenceScores, storedRowCounts, storedScores, syntheticStream } from './metrics-fixture.js';

const PARTITIONS = 4;
const THRESHOLD = 0.6;
const ROLE_ENV = {
  HUSH_METRICS_PARTITIONS: String(PARTITIONS),
  HUSH_METRICS_LEASE_MS: '1500',
  HUSH_METRICS_RECORD_MIN_SCORE: '0',
  HUSH_METRICS_ALERT_THRESHOLD: String(THRESHOLD),
};

async function partitionsOwned(registry: Registry): Promise<number> {
  const metric = await registry.getSingleMetric('hush_metric_partitions_owned')?.get();
  return metric?.values[0]?.value ?? 0;
}

describe('metrics role (in process, real Redis + ClickHouse)', () => {
  const tenant = uniqueName('metrics', '-');
  let config: HushConfig;
  let redis: Redis;
  let clickhouse: ClickHouseClient;
  let producer: MetricsProducer;
  const roles: RunningRole[] = [];
  const stream = syntheticStream({ seed: 11, tenant, series: 5, length: 400 });
  const reference = referenceScores(stream);

  const start = async (registry = new Registry()): Promise<RunningRole> => {
    const role = await startMetrics({ config, logger: createLogger('metrics', 'silent'), registry });
    roles.push(role);
    return role;
  };
  const drained = (expectedRows: number) =>
    waitFor(async () => (await storedRowCounts(clickhouse)).final >= expectedRows && (await pendingMetricsJobs(redis, config.queuePrefix, PARTITIONS)) === 0, {
      timeoutMs: 90_000,
      intervalMs: 100,
      what: `${expectedRows} scored samples and drained metrics queues`,
    });
  const push = async (samples: readonly MetricSample[]): Promise<void> => {
    for (let i = 0; i < samples.length; i += 100) await producer.push(samples.slice(i, i + 100));
  };

  beforeAll(async () => {
    Object.assign(process.env, ROLE_ENV);
    config = loadConfig({ queuePrefix: uniqueName('metrics', '-'), clickhouseDatabase: uniqueName('hush_metrics'), metricsPort: 0, jobLockMs: 1000, logLevel: 'silent' });
    redis = createRedis(serviceUrls().redisUrl);
    clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
    producer = new MetricsProducer({ connection: redis, prefix: config.queuePrefix });
  });

  afterAll(async () => {
    for (const role of roles) await role.stop();
    await producer?.close();
    await cleanMetrics(redis, config.queuePrefix, PARTITIONS, stream);
    await obliterateAll(redis, config.queuePrefix);
    await clickhouse?.close();
    await dropDatabase(clickHouseOptionsFromConfig(config));
    redis?.disconnect();
    for (const key of Object.keys(ROLE_ENV)) delete process.env[key];
  });

  it('records the score of every sample and raises one hush-anomaly alert per sample at or above the threshold', { timeout: 120_000 }, async () => {
    const registry = new Registry();
    await start(registry);
    await waitFor(async () => (await partitionsOwned(registry)) === PARTITIONS, { timeoutMs: 10_000, what: 'the replica to own every partition' });
    await push(stream.slice(0, 1000));
    await drained(1000);
    await push(stream.slice(1000));
    await drained(stream.length);
    expect(await storedScores(clickhouse)).toEqual(reference);

    const expectedIds = new Set<string>();
    for (const [key, scores] of reference) {
      const timestamps = stream.filter((s) => seriesKey(s) === key).map((s) => s.timestamp);
      scores.forEach((score, i) => score >= THRESHOLD && expectedIds.add(computeAlertId(key, timestamps[i] as number)));
    }
    expect(expectedIds.size).toBeGreaterThan(0);
    const alerts = (await jobsOf<{ alerts: Alert[] }>(redis, config.queuePrefix, QUEUE_NAMES.alerts)).flatMap((job) => job.data.alerts);
    expect(alerts.map((a) => a.id).sort()).toEqual([...expectedIds].sort());
    expect(new Set(alerts.map((a) => a.source))).toEqual(new Set(['hush-anomaly']));
    expect(alerts.every((a) => a.tenant === tenant && a.status === 'firing' && a.service === 'api')).toBe(true);
  });

  it('skips a stream pushed again: no score is recorded twice and no alert raised twice', { timeout: 60_000 }, async () => {
    const before = await storedRowCounts(clickhouse);
    const alertsBefore = (await jobsOf(redis, config.queuePrefix, QUEUE_NAMES.alerts)).length;
    await push(stream);
    await waitFor(async () => (await pendingMetricsJobs(redis, config.queuePrefix, PARTITIONS)) === 0, { timeoutMs: 30_000, intervalMs: 100 });
    expect(await storedRowCounts(clickhouse)).toEqual(before);
    expect((await jobsOf(redis, config.queuePrefix, QUEUE_NAMES.alerts)).length).toBe(alertsBefore);
  });

  it('shares the partitions with a second replica and takes them back when it stops, losing no sample of a moved series', { timeout: 150_000 }, async () => {
    const moved = syntheticStream({ seed: 12, tenant: `${tenant}-b`, series: 8, length: 300 });
    const first = new Registry();
    const second = new Registry();
    for (const role of roles.splice(0)) await role.stop();
    await start(first);
    const replica = await start(second);
    await waitFor(async () => (await partitionsOwned(first)) === PARTITIONS / 2 && (await partitionsOwned(second)) === PARTITIONS / 2, {
      timeoutMs: 30_000,
      what: 'an even split of the partitions',
    });
    const before = (await storedRowCounts(clickhouse)).final;
    await push(moved.slice(0, 1200));
    await drained(before + 1200);
    await replica.stop();
    roles.splice(roles.indexOf(replica), 1);
    await waitFor(async () => (await partitionsOwned(first)) === PARTITIONS, { timeoutMs: 30_000, what: 'the survivor to own every partition' });
    await push(moved.slice(1200));
    await drained(before + moved.length);

    const stored = await storedScores(clickhouse);
    const expected = referenceScores(moved);
    expect(new Map([...expected.keys()].map((key) => [key, stored.get(key)]))).toEqual(expected);
    await cleanMetrics(redis, config.queuePrefix, 0, moved);
  });
});
