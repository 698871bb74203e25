import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { deleteTenantKeys } from '../../bench/pipeline/measure.js';
import { dropDatabase } from '../../shared/clickhouse/client.js';
import { createRedis } from '../../shared/redis/connection.js';
import { startLocalServices } from '../../shared/services/index.js';
import { deleteKeysUnder } from '../helpers/redis-prefix.js';
import { startWorker, type HushEnv, type HushProcess } from '../helpers/fleet.js';

/** The ingest path of a fleet started for one load run, on its own queue prefix, database and tenant. */
export interface LoadFleet {
  readonly runId: string;
  readonly tenant: string;
  readonly token: string;
  readonly gatewayUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Alerts enqueued and not yet taken by a scoring worker. */
  alertsWaiting(): Promise<number>;
  /**
   * Between two phases: waits (up to `timeoutMs`) for the scoring backlog to clear, then empties the
   * notifications queue, which a dispatcher drains in a deployment but nothing drains here; left alone,
   * 120,000 notifications a phase grow Redis and its append-only-file rewrites into the next phase.
   * Resolves with the notifications removed.
   */
  settle(timeoutMs?: number): Promise<number>;
  /** Stops the processes, obliterates the run's queues and drops its database; later calls share the first. */
  dispose(): Promise<void>;
}

const warn = (what: string, thrown: unknown): void => {
  process.stderr.write(`load: cleanup: ${what}: ${thrown instanceof Error ? thrown.message : String(thrown)}\n`);
};

/** Notifications removed per Redis call between phases. */
const CLEAN_CHUNK = 5_000;

/** Roles an alert passes through on ingest, each in its own process as a deployment runs them. */
const INGEST_ROLES = ['gateway', 'scoring', 'outcomes'] as const;

/** Starts (or reuses) local Redis and ClickHouse, then the gateway, scoring and outcomes roles. */
export async function startLoadFleet(): Promise<LoadFleet> {
  const services = await startLocalServices();
  const runId = randomBytes(4).toString('hex');
  const tenant = `load-${runId}`;
  const token = `load-token-${randomBytes(12).toString('hex')}`;
  const clickhouseOptions = {
    url: services.clickhouseUrl,
    database: `hush_load_${runId}`,
    username: process.env.HUSH_CLICKHOUSE_USER ?? 'default',
    password: process.env.HUSH_CLICKHOUSE_PASSWORD ?? '',
    // A busy shared ClickHouse can take well over the default 30 s for a DROP after a load run.
    requestTimeoutMs: 180_000,
  };
  const env: HushEnv = {
    redisUrl: services.redisUrl,
    clickhouseUrl: services.clickhouseUrl,
    clickhouseDatabase: clickhouseOptions.database,
    queuePrefix: `hush-load-${runId}`,
    tokens: { [tenant]: token },
  };
  const processes: HushProcess[] = [];
  const redis = createRedis(services.redisUrl);
  const alerts = new Queue(QUEUE_NAMES.alerts, { connection: redis, prefix: env.queuePrefix });
  const notifications = new Queue(QUEUE_NAMES.notifications, { connection: redis, prefix: env.queuePrefix });
  const alertsWaiting = async (): Promise<number> => (await alerts.getJobCounts('waiting')).waiting ?? 0;
  const settle = async (timeoutMs = 60_000): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    while ((await alertsWaiting()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    // In chunks: one drain() of ~120,000 jobs held Redis for 1.7–2.1 s, long enough to stall the next phase.
    let removed = 0;
    for (let chunk = await notifications.clean(0, CLEAN_CHUNK, 'wait'); chunk.length > 0; chunk = await notifications.clean(0, CLEAN_CHUNK, 'wait')) {
      removed += chunk.length;
    }
    return removed;
  };

  // Cleanup never decides the run's outcome: a step that fails says what is left behind, and the rest go on.
  const disposeOnce = async (): Promise<void> => {
    await Promise.allSettled(processes.map((proc) => proc.stop()));
    await alerts.close();
    await notifications.close();
    await deleteTenantKeys(redis, tenant).catch((thrown: unknown) => warn(`feature-store keys of tenant ${tenant} not deleted`, thrown));
    redis.disconnect();
    await deleteKeysUnder(services.redisUrl, env.queuePrefix).catch((thrown: unknown) => warn(`queues under prefix ${env.queuePrefix} not removed`, thrown));
    await dropDatabase(clickhouseOptions).catch((thrown: unknown) => warn(`database ${clickhouseOptions.database} not dropped (drop it by hand)`, thrown));
  };
  // Once only: a signal handler and the run's own `finally` may both ask for it.
  let disposed: Promise<void> | null = null;
  const dispose = (): Promise<void> => (disposed ??= disposeOnce());

  try {
    for (const role of INGEST_ROLES) processes.push(await startWorker(role, env, { timeoutMs: 120_000 }));
  } catch (thrown) {
    await dispose();
    throw thrown;
  }
  return {
    runId,
    tenant,
    token,
    gatewayUrl: (processes[0] as HushProcess).gatewayUrl,
    redisUrl: services.redisUrl,
    prefix: env.queuePrefix,
    alertsWaiting,
    settle,
    dispose,
  };
}
