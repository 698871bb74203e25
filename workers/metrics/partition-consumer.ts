import { Queue, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../../shared/observability/logger.js';
import { logQueueErrors } from '../../shared/redis/outage-log.js';
import type { MetricsJob } from '../../queues/metrics-queue.js';
import { metricsQueueName } from '../../queues/metrics-partitions.js';
import type { PartitionLease } from './partition-leases.js';
import { requeueOrphans } from './requeue-orphans.js';

/** Options of {@link PartitionConsumer.start}. */
export interface PartitionConsumerOptions {
  lease: PartitionLease;
  connection: Redis;
  prefix: string;
  /** BullMQ job lock; also the longest wait for a previous owner's job to let go. */
  lockDurationMs: number;
  /** Processes one job's samples; false when the lease was lost (the job goes back to the head of the queue). */
  process(job: MetricsJob, lease: PartitionLease): Promise<boolean>;
  logger: Logger;
}

// A stalled job is replayed idempotently (checkpointed timestamps), so it is never failed for stalling.
const NEVER_FAIL_STALLED = 1_000_000;

/** Consumes one partition's queue with concurrency 1 while its lease is held. */
export class PartitionConsumer {
  private constructor(
    private readonly queue: Queue<MetricsJob>,
    private readonly worker: Worker<MetricsJob>,
  ) {}

  /** Requeues what a previous owner left active, then starts consuming. */
  static async start(options: PartitionConsumerOptions): Promise<PartitionConsumer> {
    const { lease, connection, prefix, logger } = options;
    const name = metricsQueueName(lease.partition);
    const queue = new Queue<MetricsJob>(name, { connection, prefix });
    logQueueErrors(queue, logger);
    const requeued = await requeueOrphans(queue, connection, { lockWaitMs: options.lockDurationMs * 2 }).catch(async (err: unknown) => {
      await queue.close();
      throw err;
    });
    if (requeued > 0) logger.info({ partition: lease.partition, requeued }, 'requeued jobs a previous owner left active');
    const worker = new Worker<MetricsJob>(
      name,
      async (job, token) => {
        if (await options.process(job.data, lease)) return;
        // The lease is gone: hand the job to the next owner and stop fetching (not awaited: close waits for this job).
        await job.moveToWait(token);
        worker.close().catch((err: unknown) => logger.error({ partition: lease.partition, err }, 'closing the worker of a lost partition failed'));
        throw new WaitingError();
      },
      {
        connection,
        prefix,
        concurrency: 1,
        autorun: false,
        lockDuration: options.lockDurationMs,
        stalledInterval: Math.ceil(options.lockDurationMs / 2),
        maxStalledCount: NEVER_FAIL_STALLED,
      },
    );
    worker.on('failed', (job, err) => logger.warn({ partition: lease.partition, jobId: job?.id, err }, 'metrics job failed'));
    logQueueErrors(worker, logger);
    worker.run().catch((err: unknown) => logger.error({ partition: lease.partition, err }, 'metrics worker stopped with an error'));
    return new PartitionConsumer(queue, worker);
  }

  /** Finishes the job in hand and stops. */
  async stop(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }
}
