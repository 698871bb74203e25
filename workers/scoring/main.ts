import { Queue, Worker, type Job } from 'bullmq';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { BatchWriter, type EncodedRow } from '../../shared/clickhouse/batch-writer.js';
import { TABLES, type AlertRow, type DecisionRow, type FeatureRow } from '../../shared/clickhouse/rows.js';
import { WriterMetrics } from '../../shared/clickhouse/writer-metrics.js';
import { RowJournal, journalKey } from '../../shared/clickhouse/row-journal.js';
import { JournalDrain } from '../../shared/clickhouse/journal-drain.js';
import { registerJournalMetrics } from '../../shared/clickhouse/journal-metrics.js';
import { ClickHouseArtifactSource } from '../../shared/models/clickhouse-artifact-source.js';
import { ModelCache } from '../../shared/models/model-cache.js';
import { CanaryCache } from '../../shared/models/canary-cache.js';
import { TenantChangeFeed } from '../../shared/models/tenant-change-feed.js';
import { NotificationQueue } from '../../queues/notification-queue.js';
import { QUEUE_NAMES } from '../../queues/queue-names.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import type { AlertsJob, NotificationJob } from '../../queues/jobs.js';
import type { Alert } from '../../schemas/alert.js';
import { Coalescer } from '../../shared/batching/coalescer.js';
import { WeightedSemaphore } from '../../shared/batching/weighted-semaphore.js';
import type { RoleContext, RoleStarter, RunningRole } from '../role.js';
import { FeatureStore } from './feature-store.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION } from './feature-schema.js';
import { ThresholdStore } from '../../shared/models/threshold-store.js';
import { ScoringProcessor, type ScoringDependencies } from './scoring-processor.js';
import { ScoringMetrics } from './scoring-metrics.js';
import { guardAlertsJob } from './alerts-job-guard.js';
import { scoringReplicaName } from './replica-name.js';
import { fetcherConcurrencies } from './fetcher-concurrency.js';
import { journalRoomCheck, redisCheck } from '../../shared/observability/health-checks.js';

/** Where the scoring role gets each alert's feature vector (a zero-length vector: no decision). */
export type FeatureSource = ScoringDependencies['features'];

/** The scoring role: consumes `alerts`, records decisions, enqueues notifications. */
export const startScoring: RoleStarter = (context) => scoringRole(context);

/**
 * The scoring role with its features from `features` instead of the Redis {@link FeatureStore}: for the
 * pipeline benchmark's `--features constant`, which measures everything but the feature state.
 */
export async function scoringRole({ config, logger, registry }: RoleContext, features?: FeatureSource): Promise<RunningRole> {
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const changes = new TenantChangeFeed(redis, logger);
  const writerMetrics = WriterMetrics.of(registry);
  const writer = (table: string): BatchWriter<EncodedRow> => {
    const w = new BatchWriter<EncodedRow>(clickhouse, { table, logger, flushDelayMs: config.scoringFlushMs, encoded: true, ...writerMetrics.hooks() });
    writerMetrics.track(table, w);
    return w;
  };
  const writers = new Map([TABLES.alerts, TABLES.features, TABLES.decisions].map((table) => [table, writer(table)]));
  // A job completes once its rows are staged in Redis; the drain batches them into ClickHouse, so no job
  // waits a batch interval (docs/deployment.md, "ClickHouse outages: the row journal").
  const journalStream = journalKey(config.queuePrefix, 'scoring');
  // A connection of their own, without BullMQ's scripts: the journal and the drain build a pipeline per append
  // and per acknowledgement (hundreds a second), and ioredis copies every script of the connection onto each.
  const journalRedis = watchRedis(createRedis(config.redisUrl), 'journal', logger);
  const journal = new RowJournal(journalRedis, { key: journalStream, maxBytes: config.journalMaxBytes });
  const sinks = { alerts: journal.sink<AlertRow>(TABLES.alerts), features: journal.sink<FeatureRow>(TABLES.features), decisions: journal.sink<DecisionRow>(TABLES.decisions) };
  const drain = new JournalDrain({ redis: journalRedis, key: journalStream, consumer: scoringReplicaName(), writers, claimIdleMs: config.jobLockMs, logger });
  drain.start();
  const notifications = new NotificationQueue({ connection: redis, prefix: config.queuePrefix });
  const models = new ModelCache({
    redis,
    changes,
    artifacts: new ClickHouseArtifactSource(clickhouse),
    expected: { featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT },
    logger,
  });
  const challengers = new ModelCache({
    redis,
    changes,
    slot: 'challenger',
    // A replaced challenger was promoted (the champion cache loads it) or rejected: never needed again.
    keepPrevious: false,
    artifacts: new ClickHouseArtifactSource(clickhouse),
    expected: { featureSchemaVersion: FEATURE_SCHEMA_VERSION, nFeatures: FEATURE_COUNT },
    logger,
  });
  const canaries = new CanaryCache({ redis, changes });
  const thresholds = new ThresholdStore({ redis, changes, defaultThreshold: config.defaultThreshold });
  const metrics = new ScoringMetrics(registry);
  // Concurrent single-alert jobs share one feature-script pipeline and one notifications addBulk per
  // event-loop turn: both are idempotent, which the coalescer's per-caller retry needs.
  // A connection of its own: ioredis copies every script defined on a connection onto each pipeline, and
  // the shared one carries BullMQ's.
  const featureRedis = features === undefined ? watchRedis(createRedis(config.redisUrl), 'features', logger) : undefined;
  const source: FeatureSource = featureRedis === undefined ? (features as FeatureSource) : new FeatureStore({ redis: featureRedis });
  const observe = new Coalescer((alerts: readonly Alert[]) => source.observe(alerts));
  const notify = new Coalescer(async (jobs: readonly NotificationJob[]) => {
    await notifications.add(jobs);
    return jobs.map(() => undefined);
  });
  const processor = new ScoringProcessor({
    features: { observe: (alerts) => observe.submit(alerts) },
    models,
    challengers,
    canaries,
    thresholds,
    sinks,
    notifications: { add: async (jobs) => void (await notify.submit(jobs)) },
    onDecision: (decision) => metrics.recordDecision(decision),
  });

  // Concurrency counts jobs; this bounds alerts, so a backlog of bulk jobs (200 alerts each) does not
  // flood the event loop until lock renewals run late and jobs stall.
  const inFlight = new WeightedSemaphore(config.scoringMaxAlertsInFlight);
  const processJob = async (job: Job<AlertsJob>): Promise<void> => {
    const dequeuedAt = performance.now();
    const alerts = guardAlertsJob(job.data);
    await inFlight.run(alerts.length, () => processor.process(alerts, job.data.enqueuedAt, dequeuedAt));
  };
  // Several BullMQ workers, each fetching on its own: a worker fetches one job per Redis round trip and, with
  // a backlog, starts none until it holds its whole share, so one large share holds jobs back whenever Redis
  // answers late (docs/configuration.md, HUSH_SCORING_FETCHERS).
  const workers = fetcherConcurrencies(config.scoringConcurrency, config.scoringFetchers).map((concurrency, i) => {
    const worker = new Worker<AlertsJob>(QUEUE_NAMES.alerts, processJob, {
      name: scoringReplicaName(),
      connection: workerConnection,
      prefix: config.queuePrefix,
      lockDuration: config.jobLockMs,
      stalledInterval: Math.ceil(config.jobLockMs / 2),
      // One check for stalled jobs per process is enough: it covers every worker's jobs.
      skipStalledCheck: i > 0,
      concurrency,
    });
    worker.on('completed', () => metrics.jobs.inc({ result: 'completed' }));
    worker.on('failed', (job, err) => {
      metrics.jobs.inc({ result: 'failed' });
      logger.warn({ jobId: job?.id, attemptsMade: job?.attemptsMade, err }, 'alerts job failed');
    });
    logQueueErrors(worker, logger);
    return worker;
  });
  const alertsQueue = new Queue(QUEUE_NAMES.alerts, { connection: redis, prefix: config.queuePrefix });
  for (const source of [alertsQueue, notifications.bullQueue]) logQueueErrors(source, logger);
  registerQueueDepth(registry, [alertsQueue, notifications.bullQueue]);
  registerJournalMetrics(registry, redis, journalStream);

  return {
    name: 'scoring',
    // Not ClickHouse: while it is down scoring decides on and its rows wait in the journal, until the journal is full.
    checks: { redis: redisCheck(redis), journal: journalRoomCheck(journal, journalStream) },
    async stop() {
      // In-flight jobs finish (their rows staged), then the drain inserts everything staged, without the
      // flush delay, for as long as the grace allows: what ClickHouse has not taken by then stays in Redis.
      await Promise.all(workers.map((worker) => worker.close()));
      const [left] = await Promise.all([drain.stop(config.scoringStopGraceMs), ...[...writers.values()].map((w) => w.stopDelaying())]);
      if (left > 0) {
        logger.warn(
          { journal: journalStream, entries: left, graceMs: config.scoringStopGraceMs },
          'ClickHouse did not take every staged row within the stop grace; they stay in the journal for another scoring replica or the next start',
        );
      }
      await Promise.all([...writers.values()].map((w) => w.shutdown()));
      await models.close();
      await challengers.close();
      canaries.close();
      await changes.close();
      await notifications.close();
      await alertsQueue.close();
      await clickhouse.close();
      redis.disconnect();
      journalRedis.disconnect();
      featureRedis?.disconnect();
      workerConnection.disconnect();
    },
  };
}
