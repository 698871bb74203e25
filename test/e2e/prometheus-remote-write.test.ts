import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsProducer } from '../../queues/metrics-queue.js';
import type { MetricSample } from '../../schemas/metric-sample.js';
import type { Redis } from 'ioredis';
import { createRedis } from '../../shared/redis/connection.js';
import { createE2eWorld, killAllHushProcesses, queryRows, startHush, waitFor, type E2eWorld, type HushProcess } from '../helpers/fleet.js';
import { startPrometheus, type TestPrometheus } from '../helpers/prometheus.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';

// Issue 6 acceptance: a real Prometheus (Debian package) remote-writes its own metrics to the gateway;
// the samples arrive on the metrics queue, and the metrics role scores them.

const PARTITIONS = 4;

let world: E2eWorld;
let gateway: HushProcess;
let prometheus: TestPrometheus | undefined;
let redis: Redis;
let queues: MetricsProducer;

beforeAll(async () => {
  world = createE2eWorld('remote-write');
  // Every score is recorded (floor 0), so the test sees the scores of ordinary, unanomalous series.
  world.env = { ...world.env, extra: { HUSH_METRICS_PARTITIONS: String(PARTITIONS), HUSH_METRICS_RECORD_MIN_SCORE: '0', HUSH_METRICS_LEASE_MS: '3000' } };
  redis = createRedis(world.env.redisUrl);
  queues = new MetricsProducer({ connection: redis, prefix: world.env.queuePrefix, partitions: PARTITIONS });
  gateway = await startHush(['worker', 'gateway'], world.env);
  prometheus = await startPrometheus({
    scrapeIntervalSeconds: 1,
    remoteWrite: [{ url: `${gateway.gatewayUrl}/api/v1/metrics/write`, bearerToken: world.token }],
  });
});

afterAll(async () => {
  await prometheus?.stop();
  await killAllHushProcesses();
  await queues.close();
  redis.disconnect();
  await world.dispose();
  // The metrics partitions and the role's series checkpoints live under the prefix too.
  await deleteKeysUnder(world.env.redisUrl, world.env.queuePrefix);
});

async function queuedSamples(): Promise<MetricSample[]> {
  const jobs = await Promise.all(queues.bullQueues.map((queue) => queue.getJobs(['waiting'], 0, -1, true)));
  return jobs.flat().flatMap((job) => job.data.samples);
}

/** The value of one series in a Prometheus text exposition, or 0 when it is absent. */
function exposed(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('Prometheus remote write into the gateway', () => {
  it('puts the samples a real Prometheus remote-writes of itself on the metrics queue, for the token tenant', { timeout: 90_000 }, async () => {
    let samples: MetricSample[] = [];
    await waitFor(
      async () => {
        samples = await queuedSamples();
        return samples.some((s) => s.name === 'up');
      },
      { timeoutMs: 60_000, intervalMs: 500, what: () => `remote-written samples on the metrics queue (${samples.length} so far)\n${prometheus?.logTail()}\n${gateway.tail()}` },
    );
    expect(new Set(samples.map((s) => s.tenant))).toEqual(new Set([world.tenant]));
    const up = samples.find((s) => s.name === 'up');
    expect(up?.labels).toEqual({ instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/), job: 'prometheus' });
    expect(up?.value).toBe(1);
    expect(Math.abs((up?.timestamp ?? 0) - Date.now())).toBeLessThan(120_000);
    expect(samples.every((s) => Number.isFinite(s.value) && !('__name__' in s.labels))).toBe(true);

    // Every batch Prometheus sent was taken: none answered 4xx or 5xx, and Prometheus counts no failure.
    const text = await gateway.metrics();
    expect(exposed(text, 'hush_gateway_metric_samples_total{result="accepted"}')).toBeGreaterThanOrEqual(samples.length);
    expect(exposed(text, 'hush_gateway_requests_total{route="/api/v1/metrics/write",status="202"}')).toBeGreaterThan(0);
    expect(text).not.toMatch(/hush_gateway_requests_total\{route="\/api\/v1\/metrics\/write",status="[45]\d\d"\}/);
    const failed = await prometheus?.api<{ result: { value: [number, string] }[] }>('query?query=sum(prometheus_remote_storage_samples_failed_total)');
    expect(Number(failed?.result[0]?.value[1])).toBe(0);
  });

  it('has the metrics role score those samples into metric_anomalies', { timeout: 120_000 }, async () => {
    const scorer = await startHush(['worker', 'metrics'], world.env, { timeoutMs: 90_000 });
    type ScoreRow = { name: string; job: string; score: number };
    let rows: ScoreRow[] = [];
    await waitFor(
      async () => {
        // The table appears once the role has migrated the database.
        rows = await queryRows<ScoreRow>(
          world.clickhouse,
          `SELECT name, label_values[indexOf(label_keys, 'job')] AS job, anomaly_score AS score FROM metric_anomalies WHERE tenant = '${world.tenant}'`,
        ).catch((): ScoreRow[] => []);
        return rows.some((r) => r.name === 'up');
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: () => `scores of the remote-written series (${rows.length} rows so far)\n${scorer.tail()}` },
    );
    expect(rows.every((r) => r.job === 'prometheus' && r.score >= 0 && r.score <= 1)).toBe(true);
    expect(new Set(rows.map((r) => r.name)).size).toBeGreaterThan(50);
    expect(exposed(await scorer.metrics(), 'hush_metric_samples_total{result="scored"}')).toBeGreaterThan(0);
  });
});
