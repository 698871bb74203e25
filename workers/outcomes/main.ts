import { Queue, Worker } from 'bullmq';
import { Counter } from 'prom-client';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { TABLES, type OutcomeRow } from '../../shared/clickhouse/rows.js';
import { WriterMetrics } from '../../shared/clickhouse/writer-metrics.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { ALERT_JOB_OPTIONS } from '../../queues/alert-queue.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import type { OutcomesJob } from '../../queues/jobs.js';
import { FeatureStore } from '../scoring/feature-store.js';
import { redisCheck } from '../../shared/observability/health-checks.js';
import type { RoleStarter } from '../role.js';
import { OutcomesProcessor } from './outcomes-processor.js';
import { guardOutcomesJob } from './outcomes-job-guard.js';

/** How long an outcome that overtook its alert is retried before it only stays a stored label. */
const UNMATCHED_RETRY_DELAY_MS = 2_000;
const UNMATCHED_MAX_RETRIES = 30;

/** The outcomes role: stores feedback labels and records them, at their outcome time, as rule feedback. */
export const startOutcomes: RoleStarter = async ({ config, logger, registry }) => {
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const writerMetrics = WriterMetrics.of(registry);
  const sink = new BatchWriter<OutcomeRow>(clickhouse, { table: TABLES.outcomes, logger, ...writerMetrics.hooks() });
  writerMetrics.track(TABLES.outcomes, sink);
  const processor = new OutcomesProcessor({ sink, feedback: new FeatureStore({ redis }) });
  const queue = new Queue<OutcomesJob & { retry?: number }>(QUEUE_NAMES.outcomes, { connection: redis, prefix: config.queuePrefix });
  logQueueErrors(queue, logger);
  registerQueueDepth(registry, [queue]);
  const unmatched = new Counter({
    name: 'hush_outcomes_unmatched_total',
    help: 'Outcomes whose alert was never scored here (label stored; rule feedback not counted)',
    registers: [registry],
  });

  const worker = new Worker<OutcomesJob & { retry?: number }>(
    QUEUE_NAMES.outcomes,
    async (job) => {
      const pending = await processor.process(guardOutcomesJob(job.data));
      if (pending.length === 0) return;
      const retry = (job.data.retry ?? 0) + 1;
      if (retry > UNMATCHED_MAX_RETRIES) {
        unmatched.inc(pending.length);
        logger.warn({ count: pending.length, example: pending[0]?.alertId }, 'outcomes refer to alerts never scored; labels stored, feedback not counted');
        return;
      }
      await queue.add('outcomes-retry', { outcomes: pending, retry }, { ...ALERT_JOB_OPTIONS, delay: UNMATCHED_RETRY_DELAY_MS });
    },
    { connection: workerConnection, prefix: config.queuePrefix, lockDuration: config.jobLockMs, stalledInterval: Math.ceil(config.jobLockMs / 2), concurrency: 32 },
  );
  worker.on('failed', (job, err) => logger.warn({ jobId: job?.id, err }, 'outcomes job failed'));
  logQueueErrors(worker, logger);

  return {
    name: 'outcomes',
    checks: { redis: redisCheck(redis) },
    async stop() {
      await worker.close();
      await sink.shutdown();
      await queue.close();
      await clickhouse.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
};
