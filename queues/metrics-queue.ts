import { Queue, type JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { type MetricSample, seriesKey } from '../schemas/metric-sample.js';
import { metricsQueueName, partitionOf, resolveMetricsPartitions } from './metrics-partitions.js';

/** A metrics job: validated samples of one partition, in the order they were pushed. */
export interface MetricsJob {
  samples: MetricSample[];
  /** Epoch ms at which the job was enqueued, for end-to-end latency. */
  enqueuedAt: number;
}

/** Options of {@link MetricsProducer}. */
export interface MetricsProducerOptions {
  /** A Redis connection the producer borrows (and does not close), or options for one it opens and closes. */
  connection: Redis | RedisOptions;
  /** Partition count; must match the metrics workers'. @defaultValue `HUSH_METRICS_PARTITIONS`, else `16` */
  partitions?: number;
  /** BullMQ key prefix; must match the fleet's `HUSH_QUEUE_PREFIX`. @defaultValue `hush` */
  prefix?: string;
  /** Most samples in one job; a larger partition batch becomes several jobs, in order. @defaultValue `1000` */
  maxSamplesPerJob?: number;
}

// One attempt: a metrics worker retries transient faults itself, holding the job, because a BullMQ
// retry would let later jobs of the partition overtake it. A failed job is poison and stays failed.
const METRICS_JOB_OPTIONS: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: false };

/**
 * Enqueues validated metric samples onto the partitioned metrics queues: samples are grouped by the
 * partition of their series key and each partition's group is added as jobs in push order, so the
 * samples of one series stay in order across sequential `push` calls.
 */
export class MetricsProducer {
  private readonly connection: Redis;
  private readonly ownsConnection: boolean;
  private readonly queues: Queue<MetricsJob>[];
  private readonly maxSamplesPerJob: number;

  constructor(options: MetricsProducerOptions) {
    const partitions = resolveMetricsPartitions(options.partitions);
    const maxSamplesPerJob = options.maxSamplesPerJob ?? 1000;
    if (!Number.isInteger(maxSamplesPerJob) || maxSamplesPerJob < 1 || maxSamplesPerJob > 100_000) {
      throw new RangeError(`MetricsProducer option maxSamplesPerJob must be an integer in [1, 100000], got ${maxSamplesPerJob}`);
    }
    this.maxSamplesPerJob = maxSamplesPerJob;
    this.ownsConnection = !(options.connection instanceof Redis);
    this.connection = options.connection instanceof Redis ? options.connection : new Redis({ maxRetriesPerRequest: null, ...options.connection });
    const prefix = options.prefix ?? 'hush';
    this.queues = Array.from({ length: partitions }, (_, partition) => new Queue<MetricsJob>(metricsQueueName(partition), { connection: this.connection, prefix }));
  }

  /** Enqueues samples (already validated with `parseMetricSample`); resolves once every job is stored. */
  async push(samples: readonly MetricSample[]): Promise<void> {
    if (samples.length === 0) return;
    const byPartition = new Map<number, MetricSample[]>();
    for (const sample of samples) {
      const partition = partitionOf(seriesKey(sample), this.queues.length);
      const group = byPartition.get(partition);
      if (group) group.push(sample);
      else byPartition.set(partition, [sample]);
    }
    const enqueuedAt = Date.now();
    await Promise.all(
      [...byPartition].map(([partition, group]) => {
        const jobs = [];
        for (let i = 0; i < group.length; i += this.maxSamplesPerJob) {
          jobs.push({ name: 'samples', data: { samples: group.slice(i, i + this.maxSamplesPerJob), enqueuedAt }, opts: METRICS_JOB_OPTIONS });
        }
        return this.queues[partition]?.addBulk(jobs);
      }),
    );
  }

  /** The partition queues, for depth metrics and administration. */
  get bullQueues(): readonly Queue<MetricsJob>[] {
    return this.queues;
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
    if (this.ownsConnection) this.connection.disconnect();
  }
}
