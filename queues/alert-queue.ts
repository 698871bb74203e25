import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Alert } from '../schemas/alert.js';
import { QUEUE_NAMES } from './queue-names.js';
import { alertJobId } from './job-ids.js';
import type { AlertsJob } from './jobs.js';

/** Options of {@link AlertQueue}. */
export interface AlertQueueOptions {
  /** A Redis connection; the queue does not close it. */
  connection: Redis;
  /** BullMQ key prefix. @defaultValue `hush` */
  prefix?: string;
  /** Alerts per job when enqueuing in bulk. @defaultValue `200` */
  chunkSize?: number;
}

const DEFAULTS = { prefix: 'hush', chunkSize: 200 };

/** Retries with backoff for transient faults; failed jobs stay in the failed set with their reason. */
export const ALERT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: false,
};

/** Enqueues validated alerts onto the `alerts` queue, one job per alert or per chunk. */
export class AlertQueue {
  private readonly queue: Queue<AlertsJob>;
  private readonly chunkSize: number;

  constructor(options: AlertQueueOptions) {
    const { connection, prefix, chunkSize } = { ...DEFAULTS, ...options };
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 10_000) {
      throw new RangeError(`AlertQueue option chunkSize must be an integer in [1, 10000], got ${chunkSize}`);
    }
    this.chunkSize = chunkSize;
    this.queue = new Queue<AlertsJob>(QUEUE_NAMES.alerts, { connection, prefix });
  }

  /** Enqueues each alert as its own job (one alert per job). */
  async addEach(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const enqueuedAt = Date.now();
    await this.queue.addBulk(
      alerts.map((alert) => ({ name: 'alert', data: { alerts: [alert], enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId([alert]) } })),
    );
  }

  /** Enqueues alerts in chunks of `chunkSize` per job (bulk ingest). */
  async addChunked(alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    const enqueuedAt = Date.now();
    const jobs = [];
    for (let i = 0; i < alerts.length; i += this.chunkSize) {
      const chunk = alerts.slice(i, i + this.chunkSize);
      jobs.push({ name: 'alerts', data: { alerts: chunk, enqueuedAt }, opts: { ...ALERT_JOB_OPTIONS, jobId: alertJobId(chunk) } });
    }
    await this.queue.addBulk(jobs);
  }

  /** The underlying BullMQ queue, for depth metrics and administration. */
  get bullQueue(): Queue<AlertsJob> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
