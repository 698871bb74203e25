import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import { createRedis } from '../../shared/redis/connection.js';
import { logQueueErrors, watchRedis } from '../../shared/redis/outage-log.js';
import { openDatabase } from '../../shared/clickhouse/open-database.js';
import { BatchWriter } from '../../shared/clickhouse/batch-writer.js';
import { WriterMetrics } from '../../shared/clickhouse/writer-metrics.js';
import { metricsQueueName } from '../../queues/metrics-partitions.js';
import { registerQueueDepth } from '../../queues/queue-depth-metric.js';
import type { RoleStarter } from '../role.js';
import { AnomalyAlerts } from './anomaly-alerts.js';
import { guardMetricsJob } from './metrics-job-guard.js';
import { METRIC_ANOMALIES_TABLE, metricAnomalyRow, type MetricAnomalyRow } from './metric-anomaly-row.js';
import { METRICS_DETECTOR, alertThresholdOf, loadMetricsConfig } from './metrics-config.js';
import { MetricsProcessor } from './metrics-processor.js';
import { MetricsRoleMetrics } from './metrics-role-metrics.js';
import { PartitionConsumer } from './partition-consumer.js';
import { PartitionLeases } from './partition-leases.js';
import { PartitionOwnership } from './partition-ownership.js';
import { ReplicaRegistry } from './replica-registry.js';
import { SeriesCheckpoints } from './series-checkpoints.js';
import { redisAndClickHouseChecks } from '../../shared/observability/health-checks.js';

/**
 * The metrics role: scores metric samples online, per series, with checkpointed detector state.
 *
 * Ordering in a scaled fleet: the stream is split into N partition queues by series hash, and each
 * partition is consumed with concurrency 1 by the one replica holding its Redis lease (fair share,
 * rebalanced as replicas come and go). Chosen over keeping every series' state in Redis and letting
 * any replica take any job (BullMQ's open-source edition has no job groups): with leases a replica
 * keeps its series' detectors in memory between batches and needs no per-series lock on the hot path;
 * the price is that parallelism is capped by N and a dead replica's partitions wait for its lease to
 * expire (HUSH_METRICS_LEASE_MS) before another replica takes them. Checkpoints are written after each
 * batch, fenced by the lease, with each series' last timestamp, so a replayed batch feeds nothing twice.
 */
export const startMetrics: RoleStarter = async ({ config, logger, registry }) => {
  const metricsConfig = loadMetricsConfig();
  logger.info({ metrics: metricsConfig, detector: METRICS_DETECTOR }, 'metrics role configuration');
  const clickhouse = await openDatabase(config, logger);
  const redis = watchRedis(createRedis(config.redisUrl), 'main', logger);
  const workerConnection = watchRedis(createRedis(config.redisUrl), 'worker', logger);
  const prefix = config.queuePrefix;
  const replicaId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const writerMetrics = WriterMetrics.of(registry);
  const anomalies = new BatchWriter<MetricAnomalyRow>(clickhouse, { table: METRIC_ANOMALIES_TABLE, logger, ...writerMetrics.hooks() });
  writerMetrics.track(METRIC_ANOMALIES_TABLE, anomalies);
  const thresholdOf = (tenant: string): number => alertThresholdOf(metricsConfig, tenant);
  const alerts = new AnomalyAlerts({ redis, prefix, logger, alertThresholdOf: thresholdOf });
  const checkpoints = new SeriesCheckpoints({ redis, prefix });
  const leases = new PartitionLeases({ redis, prefix, ttlMs: metricsConfig.leaseMs });
  const metrics = new MetricsRoleMetrics(registry, () => ownership.ownedPartitions().length);
  const partitionQueues = Array.from({ length: metricsConfig.partitions }, (_, p) => new Queue(metricsQueueName(p), { connection: redis, prefix }));
  for (const queue of partitionQueues) logQueueErrors(queue, logger);
  registerQueueDepth(registry, partitionQueues);

  const ownership = new PartitionOwnership({
    leases,
    replicas: new ReplicaRegistry({ redis, prefix, replicaId, ttlMs: metricsConfig.leaseMs }),
    partitions: metricsConfig.partitions,
    replicaId,
    intervalMs: Math.floor(metricsConfig.leaseMs / 3),
    logger,
    open: (lease) => {
      const processor = new MetricsProcessor({
        checkpoints,
        detector: METRICS_DETECTOR,
        sinks: { record: (scored) => anomalies.write(metricAnomalyRow(scored, METRICS_DETECTOR)), raise: (scored) => alerts.raise(scored) },
        recordMinScore: metricsConfig.recordMinScore,
        alertThresholdOf: thresholdOf,
        onBatch: (counts) => metrics.recordBatch(counts),
      });
      return PartitionConsumer.start({
        lease,
        connection: workerConnection,
        prefix,
        lockDurationMs: config.jobLockMs,
        process: (job, held) => processor.process(guardMetricsJob(job).samples, held),
        logger,
      });
    },
  });
  // Not awaited, so that the role starts while Redis is down (its /healthz failing, like the roles that only
  // run workers): the first round waits for Redis like any command.
  void ownership.start().then(() => logger.info({ replicaId, partitions: ownership.ownedPartitions() }, 'metrics partitions owned'));

  return {
    name: 'metrics',
    checks: redisAndClickHouseChecks(redis, clickhouse),
    async stop() {
      await ownership.stop();
      await anomalies.shutdown();
      await alerts.close();
      await Promise.all(partitionQueues.map((queue) => queue.close()));
      await clickhouse.close();
      redis.disconnect();
      workerConnection.disconnect();
    },
  };
};
