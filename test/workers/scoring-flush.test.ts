import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import type { RunningRole } from '../../workers/role.js';
import { startScoring } from '../../workers/scoring/main.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { jobsOf } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { tearDownRoles, uniqueTenant } from './worker-fixture.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let scoring: RunningRole | undefined;
const tenant = uniqueTenant();

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  // Rows wait for their ClickHouse batch far longer than the test runs: only the shutdown's flush inserts them.
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('flush', '-'), clickhouseDatabase: uniqueName('hush_flush'), metricsPort: 0, logLevel: 'silent', scoringFlushMs: 60_000 });
  scoring = await startScoring({ config, logger: pino({ level: 'silent' }), registry: new Registry() });
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
});

afterAll(async () => {
  await tearDownRoles([scoring], config, redis, clickhouse);
});

describe('scoring with HUSH_SCORING_FLUSH_MS', () => {
  it('notifies at once, completes the jobs once their rows are staged in the journal, and inserts them on a graceful stop', async () => {
    const ids = ['f-1', 'f-2', 'f-3'];
    const producer = new AlertProducer({ tenant, redis, prefix: config.queuePrefix });
    await producer.sendBulk(
      ids.map((id, i) => ({ id, source: 'prometheus', name: 'DiskFull', service: 'storage', severity: 'warning', status: 'firing', startsAt: `2024-05-01T12:00:0${i}Z`, labels: {} })),
    );
    await producer.close();
    // Cold start: every alert is notified, without waiting for its batch.
    await waitFor(async () => (await jobsOf(redis, config.queuePrefix, QUEUE_NAMES.notifications)).length === ids.length, {
      timeoutMs: 20_000,
      what: () => `${ids.length} notifications`,
    });
    // Longer than the default wait (1 s) and the BatchWriter's (200 ms): the configured one holds the rows.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const alerts = new Queue(QUEUE_NAMES.alerts, { connection: redis, prefix: config.queuePrefix });
    try {
      // Every job completed (and was removed) with its rows staged in Redis, none of them in ClickHouse yet.
      expect(await alerts.getJobCounts('waiting', 'active')).toEqual({ waiting: 0, active: 0 });
      expect(await decisionsFor(clickhouse, tenant, ids)).toHaveLength(0);
      const staged = (await redis.xrange(journalKey(config.queuePrefix, 'scoring'), '-', '+')).flatMap(([, fields]) => fields).join('\n');
      for (const id of ids) expect(staged).toContain(`"alert_id":"${id}"`);

      await scoring?.stop();
      scoring = undefined;
      expect((await decisionsFor(clickhouse, tenant, ids)).map((row) => row.alert_id).sort()).toEqual(ids);
      expect(await redis.xlen(journalKey(config.queuePrefix, 'scoring'))).toBe(0);
    } finally {
      await alerts.close();
    }
  });
});
