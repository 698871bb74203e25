import { Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { ClickHouseArtifactSource } from '../../shared/models/clickhouse-artifact-source.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { EvaluationQueue } from '../../queues/evaluation-queue.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import type { EvaluationJob, EvaluationJobResult } from '../../queues/jobs.js';
import { redisCheck } from '../../shared/observability/health-checks.js';
import type { RoleStarter } from '../role.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { ThresholdRegistry } from '../../shared/models/threshold-registry.js';
import { DEFAULT_EVALUATION_POLICY } from './evaluation-policy.js';
import { runEvaluation } from './evaluation-processor.js';
import { evaluationThresholds } from './evaluation-thresholds.js';
import { guardEvaluationJob } from './evaluation-job-guard.js';

/** The evaluation role: judges challengers, promotes or rejects them, rolls back a degraded champion. */
export const startEvaluation: RoleStarter = async ({ config, logger, registry }) => {
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const models = new ModelRegistry(clickhouse, redis);
  // Uncached: the role only writes thresholds and records the ones in force before and after.
  const thresholds = new ThresholdStore({ redis, defaultThreshold: config.defaultThreshold, cacheTtlMs: 0 });
  const thresholdRegistry = new ThresholdRegistry({ redis, clickhouse, thresholds });
  const queue = new EvaluationQueue({ connection: redis, prefix: config.queuePrefix });
  logQueueErrors(queue.bullQueue, logger);
  registerQueueDepth(registry, [queue.bullQueue]);
  const outcomes = new Counter({ name: 'hush_evaluations_total', help: 'Evaluation runs by action', labelNames: ['action'], registers: [registry] });

  const worker = new Worker<EvaluationJob, EvaluationJobResult>(
    QUEUE_NAMES.evaluation,
    async (job) => {
      const request = guardEvaluationJob(job.data);
      const result = await runEvaluation(request, {
        clickhouse,
        registry: models,
        artifacts: new ClickHouseArtifactSource(clickhouse),
        thresholds: evaluationThresholds(models, thresholdRegistry),
        policy: DEFAULT_EVALUATION_POLICY,
        now: Date.now,
      });
      logger.info({ tenant: request.tenant, kind: request.kind, action: result.action, reason: result.reason }, 'evaluation finished');
      return result;
    },
    { connection: workerConnection, prefix: config.queuePrefix, concurrency: 1, lockDuration: 60_000 },
  );
  worker.on('completed', (_job, result) => outcomes.inc({ action: result.action }));
  worker.on('failed', (job, err) => {
    outcomes.inc({ action: 'failed' });
    logger.warn({ jobId: job?.id, err }, 'evaluation job failed');
  });
  logQueueErrors(worker, logger);

  return {
    name: 'evaluation',
    checks: { redis: redisCheck(redis) },
    async stop() {
      await worker.close();
      thresholds.close();
      await queue.close();
      await clickhouse.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
};
