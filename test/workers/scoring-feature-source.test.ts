import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertQueue } from '../../queues/alert-queue.js';
import type { Alert } from '../../schemas/alert.js';
import { loadConfig, type HushConfig } from '../../shared/config/config.js';
import { clickHouseOptionsFromConfig, createClickHouseClient, type ClickHouseClient } from '../../shared/clickhouse/client.js';
import { sqlString } from '../../shared/clickhouse/sql-escape.js';
import type { RunningRole } from '../../workers/role.js';
import { FEATURE_COUNT } from '../../workers/scoring/feature-schema.js';
import { scoringRole, type FeatureSource } from '../../workers/scoring/main.js';
import { uniqueName, waitFor } from '../helpers/fleet.js';
import { serviceUrls } from '../helpers/services.js';
import { connectRedis } from '../scoring/redis-fixture.js';
import { firingAlert, resolvedAlert, rows, tearDownRoles, uniqueTenant } from './worker-fixture.js';

let config: HushConfig;
let redis: Redis;
let clickhouse: ClickHouseClient;
let scoring: RunningRole | undefined;
const tenant = uniqueTenant();
const observed: Alert[] = [];
const VALUE = 0.25;

/** Every firing alert gets the same vector; a resolve gets none (no decision). */
const fixedSource: FeatureSource = {
  observe: async (alerts) => {
    observed.push(...alerts);
    return alerts.map((alert) => (alert.status === 'firing' ? new Float32Array(FEATURE_COUNT).fill(VALUE) : new Float32Array(0)));
  },
};

beforeAll(async () => {
  const { redisUrl, clickhouseUrl } = serviceUrls();
  config = loadConfig({ redisUrl, clickhouseUrl, queuePrefix: uniqueName('source', '-'), clickhouseDatabase: uniqueName('hush_source'), metricsPort: 0, logLevel: 'silent', scoringFlushMs: 100 });
  scoring = await scoringRole({ config, logger: pino({ level: 'silent' }), registry: new Registry() }, fixedSource);
  redis = connectRedis();
  clickhouse = createClickHouseClient(clickHouseOptionsFromConfig(config));
});

afterAll(async () => {
  await tearDownRoles([scoring], config, redis, clickhouse);
});

describe('scoring role with a given feature source', () => {
  it('decides on the vectors of that source and keeps no feature state in Redis', async () => {
    const first = firingAlert(tenant, 0);
    const second = firingAlert(tenant, 1000, { service: 'search' });
    const queue = new AlertQueue({ connection: redis, prefix: config.queuePrefix });
    await queue.addEach([first, second, resolvedAlert(first, 5000)]);
    await queue.close();

    type FeatureRowOut = { alert_id: string; values: number[] };
    let features: FeatureRowOut[] = [];
    let decisions: { alert_id: string }[] = [];
    // Each table has its own batch writer: the feature rows can land before the decision rows.
    await waitFor(
      async () => {
        features = await rows<FeatureRowOut>(clickhouse, `SELECT alert_id, values FROM features FINAL WHERE tenant = ${sqlString(tenant)} ORDER BY alert_id`);
        decisions = await rows<{ alert_id: string }>(clickhouse, `SELECT alert_id FROM decisions FINAL WHERE tenant = ${sqlString(tenant)} ORDER BY alert_id`);
        return features.length === 2 && decisions.length === 2 && observed.length === 3;
      },
      { timeoutMs: 20_000, what: () => `2 feature rows, 2 decision rows and 3 observed events, got ${features.length}, ${decisions.length} and ${observed.length}` },
    );
    expect(features.map((row) => row.alert_id)).toEqual([first.id, second.id].sort());
    for (const row of features) expect(row.values).toEqual(new Array(FEATURE_COUNT).fill(VALUE));
    expect(decisions.map((row) => row.alert_id)).toEqual([first.id, second.id].sort());
    // All three events went to the source, the resolve too; the Redis feature store was never used.
    expect(observed.map((alert) => `${alert.id}:${alert.status}`).sort()).toEqual([`${first.id}:firing`, `${first.id}:resolved`, `${second.id}:firing`].sort());
    expect(await redis.keys(`hush:{${tenant}}:*`)).toEqual([]);
  });
});
