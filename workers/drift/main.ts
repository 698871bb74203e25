import { Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { coerceError } from '../../shared/errors/index.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { DriftQueue, type DriftJob, type DriftJobResult } from '../../queues/drift-queue.js';
import { TrainingQueue } from '../../queues/training-queue.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import { redisCheck } from '../../shared/observability/health-checks.js';
import type { RoleStarter } from '../role.js';
import { loadDriftConfig } from './drift-config.js';
import { guardDriftJob } from './drift-job-guard.js';
import { runDriftCheck } from './drift-processor.js';
import { trainingInFlight } from './training-in-flight.js';

/** The drift role: keeps each configured (tenant, kind)'s drift checks scheduled and runs them. */
export const startDrift: RoleStarter = async ({ config, logger, registry }) => {
  const drift = loadDriftConfig();
  logger.info({ kinds: drift.kinds, schedule: drift.schedule, options: drift.options, policy: drift.policy }, 'drift configuration');
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const models = new ModelRegistry(clickhouse, redis);
  const queue = new DriftQueue({ connection: redis, prefix: config.queuePrefix });
  const training = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  for (const source of [queue.bullQueue, training.bullQueue]) logQueueErrors(source, logger);
  registerQueueDepth(registry, [queue.bullQueue]);
  const checks = new Counter({ name: 'hush_drift_checks_total', help: 'Drift checks by status and retraining action', labelNames: ['status', 'action'], registers: [registry] });
  // Not awaited, so that the role starts while Redis is down (its /healthz failing, like the roles that only
  // run workers): the upserts wait for Redis like any command, and schedule the checks once it is back.
  // Until they are, /healthz fails with why; a scheduling that failed keeps it failing, so the role is
  // restarted rather than left running without its checks.
  const tenants = new Set(config.tokens.values());
  let scheduled: 'pending' | 'done' | Error = 'pending';
  const scheduling = (async () => {
    for (const tenant of tenants) {
      for (const kind of drift.kinds) await queue.schedule(tenant, kind, drift.schedule);
    }
    scheduled = 'done';
    logger.info({ tenants: tenants.size, kinds: drift.kinds }, 'drift checks scheduled');
  })().catch((thrown: unknown) => {
    scheduled = coerceError(thrown);
    logger.error({ err: scheduled }, 'scheduling the drift checks failed; restart the role to schedule them');
  });
  const schedulesCheck = async (): Promise<void> => {
    if (scheduled === 'pending') throw new Error('the drift checks are not scheduled yet (waiting for Redis)');
    if (scheduled instanceof Error) throw new Error(`scheduling the drift checks failed: ${scheduled.message}`);
  };

  const worker = new Worker<DriftJob, DriftJobResult>(
    QUEUE_NAMES.drift,
    async (job) => runDriftCheck(guardDriftJob(job.data), {
      clickhouse,
      champions: models,
      training: {
        request: (request) => training.request(request),
        inFlight: (tenant, kind) => trainingInFlight(training, tenant, kind),
      },
      options: drift.options,
      policy: drift.policy,
      now: () => Date.now(),
      logger,
    }),
    { connection: workerConnection, prefix: config.queuePrefix, concurrency: 1, lockDuration: 60_000 },
  );
  worker.on('completed', (_job, result) => checks.inc({ status: result.status, action: result.decision.action }));
  worker.on('failed', (job, err) => {
    checks.inc({ status: 'failed', action: 'none' });
    logger.warn({ jobId: job?.id, err }, 'drift check failed');
  });
  logQueueErrors(worker, logger);

  return {
    name: 'drift',
    checks: { redis: redisCheck(redis), schedules: schedulesCheck },
    async stop() {
      await worker.close();
      await scheduling;
      await queue.close();
      await training.close();
      await clickhouse.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
};
