import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertProducer } from '../../queues/alert-producer.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { JOURNAL_GROUP } from '../../shared/clickhouse/journal-drain.js';
import { decisionsFor } from '../../shared/clickhouse/queries/decisions-for.js';
import { journalKey } from '../../shared/clickhouse/row-journal.js';
import type { RunningRole } from '../../workers/role.js';
import { startScoring } from '../../workers/scoring/main.js';
import { TcpProxy } from '../clickhouse/tcp-proxy.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { jobsOf } from '../queues/queue-fixture.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { tearDownRoles, uniqueTenant } from './worker-fixture.js';

const GRACE_MS = 1000;
let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let proxy: TcpProxy;
const roles: RunningRole[] = [];
const tenant = uniqueTenant();

const start = async (): Promise<RunningRole> => {
  const role = await startScoring({ config, logger: pino({ level: 'silent' }), registry: new Registry() });
  roles.push(role);
  return role;
};

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  const target = new URL(clickhouseUrl);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.start();
  config = loadConfig({
    redisUrl,
    clickhouseUrl: proxy.url,
    queuePrefix: uniqueName('stop-outage', '-'),
    clickhouseDatabase: uniqueName('hush_stop_outage'),
    metricsPort: 0,
    logLevel: 'silent',
    scoringFlushMs: 50,
    scoringStopGraceMs: GRACE_MS,
  });
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig({ ...config, clickhouseUrl }));
});

afterAll(async () => {
  await proxy.start().catch(() => undefined);
  await tearDownRoles(roles, config, redis, clickhouse);
  await proxy.stop();
});

describe('stopping scoring while ClickHouse is down (HUSH_SCORING_STOP_GRACE_MS)', () => {
  it('exits after the grace with the rows left in the journal, and a new replica inserts them', { timeout: 40_000 }, async () => {
    const first = await start();
    const ids = ['s-1', 's-2', 's-3', 's-4'];
    await proxy.stop();
    const producer = new AlertProducer({ tenant, redis, prefix: config.queuePrefix });
    await producer.sendBulk(
      ids.map((id, i) => ({ id, source: 'prometheus', name: 'DiskFull', service: 'storage', severity: 'warning', status: 'firing', startsAt: `2024-05-01T12:00:0${i}Z`, labels: {} })),
    );
    await producer.close();
    // Scoring goes on without ClickHouse: every alert is notified, its rows staged in the journal.
    await waitFor(async () => (await jobsOf(redis, config.queuePrefix, QUEUE_NAMES.notifications)).length === ids.length, { timeoutMs: 20_000, what: `${ids.length} notifications` });

    const journal = journalKey(config.queuePrefix, 'scoring');
    const stopped = performance.now();
    await first.stop();
    roles.splice(roles.indexOf(first), 1);
    expect(performance.now() - stopped).toBeGreaterThanOrEqual(GRACE_MS - 50);
    // The stopped replica read the entries and could not insert them: they stay, unacknowledged.
    expect(await redis.xlen(journal)).toBeGreaterThan(0);
    const [pending] = (await redis.xpending(journal, JOURNAL_GROUP)) as [number];
    expect(Number(pending)).toBeGreaterThan(0);

    await proxy.start();
    // The next replica in this process has the same consumer name: it re-reads them at start.
    await start();
    await waitFor(async () => (await decisionsFor(clickhouse, tenant, ids)).length === ids.length && (await redis.xlen(journal)) === 0, {
      timeoutMs: 20_000,
      what: 'the staged rows inserted by the next replica',
    });
    expect((await decisionsFor(clickhouse, tenant, ids)).map((row) => row.alert_id).sort()).toEqual(ids);
  });
});
