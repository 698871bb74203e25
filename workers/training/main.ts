import { UnrecoverableError, Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { HushError } from '../../shared/errors/index.js';
import { ModelRegistry } from '../../shared/models/model-registry.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { TrainingQueue } from '../../queues/training-queue.js';
import { EvaluationQueue } from '../../queues/evaluation-queue.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import type { TrainingJob, TrainingJobResult } from '../../queues/jobs.js';
import { redisCheck } from '../../shared/observability/health-checks.js';
import type { RoleStarter } from '../role.js';
import { guardTrainingJob } from './training-job-guard.js';
import { runTraining } from './training-processor.js';

/** A training run holds its job for minutes; the lock is renewed well within this. */
const TRAINING_LOCK_MS = 120_000;

/** The training role: consumes `training`, registers each trained model as a challenger. */
export const startTraining: RoleStarter = async ({ config, logger, registry }) => {
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const models = new ModelRegistry(clickhouse, redis);
  const queue = new TrainingQueue({ connection: redis, prefix: config.queuePrefix });
  const evaluations = new EvaluationQueue({ connection: redis, prefix: config.queuePrefix });
  for (const source of [queue.bullQueue, evaluations.bullQueue]) logQueueErrors(source, logger);
  registerQueueDepth(registry, [queue.bullQueue]);
  const runs = new Counter({ name: 'hush_training_runs_total', help: 'Training runs by family and result', labelNames: ['family', 'result'], registers: [registry] });

  const worker = new Worker<TrainingJob, TrainingJobResult>(
    QUEUE_NAMES.training,
    async (job) => {
      const request = guardTrainingJob(job.data);
      logger.info({ jobId: job.id, tenant: request.tenant, family: request.family, params: request.params }, 'training started');
      try {
        const result = await runTraining(request, { clickhouse, registry: models, defaultThreshold: config.defaultThreshold }, (progress) => {
          void job.updateProgress(progress as unknown as object);
        });
        logger.info({ jobId: job.id, tenant: request.tenant, modelId: result.modelId }, 'training finished; challenger registered');
        // From now on the evaluation worker judges this tenant's challengers and watches its champion.
        await evaluations.schedule({ tenant: request.tenant, kind: request.kind });
        return result;
      } catch (error) {
        // Bad parameters or too little data will not get better by retrying.
        if (error instanceof HushError && error.code === 'HUSH_ERR_VALIDATION') throw new UnrecoverableError(error.message);
        throw error;
      }
    },
    { connection: workerConnection, prefix: config.queuePrefix, lockDuration: TRAINING_LOCK_MS, concurrency: 1 },
  );
  worker.on('completed', (job) => runs.inc({ family: job.data.family, result: 'completed' }));
  worker.on('failed', (job, err) => {
    runs.inc({ family: job?.data.family ?? 'unknown', result: 'failed' });
    logger.warn({ jobId: job?.id, err }, 'training job failed');
  });
  logQueueErrors(worker, logger);

  return {
    name: 'training',
    checks: { redis: redisCheck(redis) },
    async stop() {
      await worker.close();
      await queue.close();
      await evaluations.close();
      await clickhouse.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
};
